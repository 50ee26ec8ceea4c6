import JobQueue
import Prometheus
import Synchronization

/// What a host counts for `/metrics`, in the Prometheus text format. These are the host's own
/// figures (its runs, its reloads, its children), not the whole queue's: scrape every host.
public final class HostMetrics: JobPipelineObserver {
    let registry = PrometheusCollectorRegistry()
    /// Each topic's run counters (by outcome) and duration histogram, made once.
    private let perTopic = Mutex<[String: (runs: [String: Counter], duration: DurationHistogram)]>([:])

    public init() {
        registry.makeGauge(descriptor: Self.info, labels: [("version", JobQueueVersion.current)]).set(Int64(1))
    }

    public func jobRan(_ job: LeasedJob, _ completion: JobCompletion, duration: Duration) {
        let outcome = completion.attemptOutcome.rawValue
        let (runs, histogram) = perTopic.withLock { topics in
            if let metrics = topics[job.topic], let runs = metrics.runs[outcome] { return (runs, metrics.duration) }
            var metrics =
                topics[job.topic]
                ?? ([:], registry.makeDurationHistogram(descriptor: Self.runDuration, labels: [("topic", job.topic)], buckets: Self.durationBuckets))
            let runs = metrics.runs[outcome] ?? registry.makeCounter(descriptor: Self.runs, labels: [("topic", job.topic), ("outcome", outcome)])
            metrics.runs[outcome] = runs
            topics[job.topic] = metrics
            return (runs, metrics.duration)
        }
        runs.increment()
        histogram.record(duration)
    }

    /// Counts a reload: one that serves now, or one refused (the previous generation serves on).
    func reloaded(succeeded: Bool) {
        registry.makeCounter(descriptor: Self.reloads, labels: [("result", succeeded ? "ok" : "refused")]).increment()
    }

    /// Every metric, in the Prometheus text format (version 0.0.4), with the gauges read from
    /// `host` now.
    func exposition(of host: HostService) -> [UInt8] {
        registry.makeGauge(descriptor: Self.generation).set(Int64(host.generation))
        registry.makeGauge(descriptor: Self.batchesRunning).set(Int64(host.runningBatches))
        registry.makeGauge(descriptor: Self.jobsRunning).set(Int64(host.runningJobs))
        return registry.emitToBuffer()
    }

    static var info: MetricNameDescriptor { descriptor("info", help: "The jobqueue version, as a label; always 1.") }
    static var runs: MetricNameDescriptor { descriptor("runs", unit: "total", help: "Runs this host finished, by topic and outcome.") }
    static var runDuration: MetricNameDescriptor { descriptor("run_duration", unit: "seconds", help: "How long this host's runs took, by topic.") }
    static var reloads: MetricNameDescriptor {
        descriptor("reloads", unit: "total", help: "Reloads of config.yaml and the plugins, by result (ok, refused).")
    }
    static var generation: MetricNameDescriptor {
        descriptor("generation", help: "The plugin generation serving now: 1 at start, one more per reload.")
    }
    static var batchesRunning: MetricNameDescriptor { descriptor("batches_running", help: "Batches running now, each in a child process.") }
    static var jobsRunning: MetricNameDescriptor { descriptor("jobs_running", help: "Jobs this host's children are running now.") }

    /// Run durations from 1 ms to 5 min.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
        .seconds(25), .seconds(60), .seconds(300),
    ]

    private static func descriptor(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "jobqueue", metricName: name, unitName: unit, helpText: help)
    }
}
