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
    func set(_ values: [[String]: Double]) {
        let stale = gauges.withLock { gauges in
            let stale = gauges.filter { values[$0.key] == nil }
            for (labels, value) in values {
                let gauge = gauges[labels] ?? registry.makeGauge(descriptor: descriptor(), labels: Array(zip(labelNames, labels)))
                gauge.set(value)
                gauges[labels] = gauge
            }
            for labels in stale.keys { gauges[labels] = nil }
            return stale.values
        }
        stale.forEach(registry.unregisterGauge)
    }
}
