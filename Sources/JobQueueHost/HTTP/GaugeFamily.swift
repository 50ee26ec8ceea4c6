import Prometheus
import Synchronization

/// The gauges of one metric whose label values come and go (a topic, a tenant): each `set` gives
/// every series its value now and unregisters those it no longer names, so that a tenant that
/// stopped waiting leaves the exposition instead of freezing at its last value.
final class GaugeFamily: Sendable {
    private let registry: PrometheusCollectorRegistry
    /// The metric's name and help (a function, as the descriptor type is not `Sendable`).
    private let descriptor: @Sendable () -> MetricNameDescriptor
    private let labelNames: [String]
    private let gauges = Mutex<[[String]: Gauge]>([:])

    init(_ registry: PrometheusCollectorRegistry, _ descriptor: @escaping @Sendable () -> MetricNameDescriptor, labels: [String]) {
        self.registry = registry
        self.descriptor = descriptor
        self.labelNames = labels
    }

    /// The series now: label values (in the order of `labels`) and their values.
    /// Under the lock throughout, so that overlapping scrapes never unregister a gauge the other
    /// has just made again.
    func set(_ values: [[String]: Double]) {
        gauges.withLock { gauges in
            for (labels, gauge) in gauges where values[labels] == nil {
                registry.unregisterGauge(gauge)
                gauges[labels] = nil
            }
            for (labels, value) in values {
                let gauge = gauges[labels] ?? registry.makeGauge(descriptor: descriptor(), labels: Array(zip(labelNames, labels)))
                gauge.set(value)
                gauges[labels] = gauge
            }
        }
    }
}
