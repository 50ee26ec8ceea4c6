import Foundation
import JobQueue
import Prometheus
import Synchronization

/// What a host serves at `/metrics`, in the Prometheus text format: the host's own figures (its
/// runs, its reloads, its children: scrape every host), and the queue lag read from the store at
/// each scrape (the whole cluster's view: any host serves the same).
public final class HostMetrics: JobPipelineObserver {
    let registry = PrometheusCollectorRegistry()
    /// Each topic's run counters (by outcome) and its run-duration and wait histograms, made once.
    private let perTopic = Mutex<[String: TopicMetrics]>([:])
    /// The gauges read from the store at each scrape.
    private let oldestReady: GaugeFamily
    private let tenantOldestReady: GaugeFamily
    private let jobs: GaugeFamily
    private let forkServerResident: GaugeFamily
    /// How many of the longest-waiting tenants get a lag gauge of their own (`http.tenant_metrics`).
    let tenantGauges: Int
    /// Runs per minute over the last hour, for the dashboard.
    let runsPerMinute = RunsPerMinute()

    private struct TopicMetrics {
        var runs: [String: Counter] = [:]
        let duration: DurationHistogram
        let wait: DurationHistogram
    }

    public init(tenantGauges: Int = 10) {
        self.tenantGauges = tenantGauges
        oldestReady = GaugeFamily(registry, { Self.oldestReadyDescriptor }, labels: ["topic"])
        tenantOldestReady = GaugeFamily(registry, { Self.tenantOldestReadyDescriptor }, labels: ["topic", "queue"])
        forkServerResident = GaugeFamily(registry, { Self.forkServerResidentDescriptor }, labels: ["topic"])
        jobs = GaugeFamily(registry, { Self.jobsDescriptor }, labels: ["topic", "state"])
        registry.makeGauge(descriptor: Self.info, labels: [("version", JobQueueVersion.current)]).set(Int64(1))
        // Shown at 0 from the start, so that a rate over them (and an alert on refusals) has a
        // series before the first reload.
        for result in ["ok", "refused"] { _ = registry.makeCounter(descriptor: Self.reloads, labels: [("result", result)]) }
    }

    public func jobRan(_ job: LeasedJob, _ completion: JobCompletion, duration: Duration) {
        let outcome = completion.attemptOutcome
        let (runs, metrics) = perTopic.withLock { topics in
            // Made once per topic and outcome; after that a run only reads them.
            if let metrics = topics[job.topic], let runs = metrics.runs[outcome.rawValue] { return (runs, metrics) }
            var metrics =
                topics[job.topic]
                ?? TopicMetrics(
                    duration: registry.makeDurationHistogram(
                        descriptor: Self.runDuration, labels: [("topic", job.topic)], buckets: Self.durationBuckets),
                    wait: registry.makeDurationHistogram(descriptor: Self.wait, labels: [("topic", job.topic)], buckets: Self.waitBuckets))
            let runs = registry.makeCounter(descriptor: Self.runs, labels: [("topic", job.topic), ("outcome", outcome.rawValue)])
            metrics.runs[outcome.rawValue] = runs
            topics[job.topic] = metrics
            return (runs, metrics)
        }
        let now = Timestamp.now
        runs.increment()
        runsPerMinute.record(outcome, at: now)
        metrics.duration.record(duration)
        if let visibleAt = job.visibleAt {
            metrics.wait.record(.milliseconds(max(now.rawValue - duration.milliseconds - visibleAt.rawValue, 0)))
        }
    }

    /// Counts a reload: one that serves now, or one refused (the previous generation serves on).
    func reloaded(succeeded: Bool) {
        registry.makeCounter(descriptor: Self.reloads, labels: [("result", succeeded ? "ok" : "refused")]).increment()
    }

    /// Every metric, in the Prometheus text format (version 0.0.4), with the gauges read from
    /// `host` and its store now (the counts from `counts`, kept between scrapes). A store that
    /// cannot be read leaves the store's gauges out.
    func exposition(of host: HostService, counts: StatusSnapshot) async -> [UInt8] {
        registry.makeGauge(descriptor: Self.generation).set(Int64(host.generation))
        registry.makeGauge(descriptor: Self.batchesRunning).set(Int64(host.runningBatches))
        registry.makeGauge(descriptor: Self.jobsRunning).set(Int64(host.runningJobs))
        forkServerResident.set(
            Dictionary(
                uniqueKeysWithValues: host.forkServerPIDs.compactMap { topic, pid in Self.residentBytes(of: pid).map { ([topic], Double($0)) } }))
        var lag: ReadyLag?
        var counted: StatusSnapshot.Counted?
        if let store = host.store {
            lag = try? await store.readyLag(now: .now, queues: tenantGauges)
            counted = try? await counts.counts(from: store)
        }
        setLag(lag, servedTopics: host.servedTopics)
        setJobs(counted)
        return registry.emitToBuffer()
    }

    /// `jobqueue_oldest_ready_seconds` for each topic with a ready queue or served here (0 when
    /// nothing of it waits), and `jobqueue_tenant_oldest_ready_seconds` for the tenants that
    /// wait longest.
    private func setLag(_ lag: ReadyLag?, servedTopics: [String]) {
        guard let lag else {
            oldestReady.set([:])
            tenantOldestReady.set([:])
            return
        }
        let topics = Set(servedTopics).union(lag.topics.keys)
        oldestReady.set(Dictionary(uniqueKeysWithValues: topics.map { ([$0], (lag.topics[$0] ?? .zero).seconds) }))
        tenantOldestReady.set(Dictionary(lag.queues.map { ([$0.queue.topic, $0.queue.queueID], $0.wait.seconds) }, uniquingKeysWith: max))
    }

    /// `jobqueue_jobs{topic,state}` from the counts, as `jobqueue status` gives them, and when
    /// they were taken.
    private func setJobs(_ counted: StatusSnapshot.Counted?) {
        var values: [[String]: Double] = [:]
        if let counted {
            for (topic, totals) in counted.topics {
                let counts = totals.counts
                for (state, count) in [
                    ("ready", counts.ready), ("scheduled", counts.scheduled), ("leased", counts.leased), ("running", counts.running),
                    ("dead", counts.dead), ("cancelled", counts.cancelled), ("paused", counts.paused),
                ] {
                    values[[topic, state]] = Double(count)
                }
            }
            registry.makeGauge(descriptor: Self.countedAt).set(Double(counted.at.rawValue) / 1000)
        }
        jobs.set(values)
    }

    /// A process's resident memory, from /proc/PID/statm; nil if it cannot be read.
    static func residentBytes(of pid: pid_t) -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static var forkServerResidentDescriptor: MetricNameDescriptor {
        descriptor("fork_server_resident", unit: "bytes", help: "Resident memory of each served topic's fork server.")
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
    static var wait: MetricNameDescriptor {
        descriptor("wait", unit: "seconds", help: "How long jobs this host ran had waited, from visible to started, by topic.")
    }
    static var jobsDescriptor: MetricNameDescriptor {
        descriptor(
            "jobs",
            help: "Jobs by topic and state (ready, scheduled, leased, running, dead), as jobqueue status counts them (all hosts; see counted_at).")
    }
    static var countedAt: MetricNameDescriptor {
        descriptor(
            "jobs_counted_at", unit: "timestamp_seconds",
            help: "When jobqueue_jobs was counted (Unix time): counts are read in the background, at most every second.")
    }
    static var oldestReadyDescriptor: MetricNameDescriptor {
        descriptor(
            "oldest_ready", unit: "seconds",
            help: "Queue lag: how long the longest-waiting ready queue of a topic has waited for a take (all hosts; from the pointer index).")
    }
    static var tenantOldestReadyDescriptor: MetricNameDescriptor {
        descriptor(
            "tenant_oldest_ready", unit: "seconds",
            help: "How long each of the longest-waiting ready queues (tenants) has waited (http.tenant_metrics of them; all hosts).")
    }
    static var batchesRunning: MetricNameDescriptor { descriptor("batches_running", help: "Batches running now, each in a child process.") }
    static var jobsRunning: MetricNameDescriptor { descriptor("jobs_running", help: "Jobs this host's children are running now.") }

    /// Run durations from 1 ms to 5 min.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5),
        .seconds(25), .seconds(60), .seconds(300),
    ]

    /// Store commits from 0.1 ms to 5 s.
    static let commitBuckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    /// Waits from 5 ms to 1 h.
    static let waitBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30),
        .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
    ]

    private static func descriptor(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "jobqueue", metricName: name, unitName: unit, helpText: help)
    }
}
