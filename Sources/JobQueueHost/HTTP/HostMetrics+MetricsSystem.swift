import Metrics
import Prometheus

extension HostMetrics {
    /// Makes this registry the backend of the swift-metrics API, so that what the engine records
    /// through it (the stores' commit times) is served too. Call once, before opening the store.
    public func bootstrapMetricsSystem() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.commitBuckets
        MetricsSystem.bootstrap(factory)
    }
}
