import JobQueue
import Logging

/// Drains a store with a real `JobPipeline` until `expected` jobs are processed, and returns the
/// rate: from the worker's start to its return (the last settlement committed, the worker
/// stopped), so the figure includes everything `jobqueue run` would do.
func drainRate(
    _ bench: Bench, store: SQLiteJobStore, executor: any JobExecutor, settings: ConsumerSettings, expected: Int, what: String
) async throws -> Drained {
    let observed = ObservedExecutor(executor)
    return try await drainRate(bench, store: store, observed: observed, settings: settings, expected: expected, what: what)
}

/// `drainRate` through an executor the caller observes (to track jobs of its own).
func drainRate(
    _ bench: Bench, store: SQLiteJobStore, observed: ObservedExecutor, settings: ConsumerSettings, expected: Int, what: String
) async throws -> Drained {
    let worker = JobPipeline(store: store, executor: observed, settings: settings, logger: bench.quiet)
    observed.whenProcessed(expected) { worker.shutdown() }
    let start = Monotonic.nanos()
    await worker.run()
    let seconds = Monotonic.seconds(since: start)
    bench.check(what, processed: observed.processed, expected: expected)
    // A cheap check that works with a million idle queues present: nothing is left ready.
    if try await !store.readyQueues(topics: observed.servedTopics, now: .now, limit: 1).isEmpty {
        bench.problem("\(what): jobs still ready after the drain")
    }
    return Drained(
        rate: Double(observed.processed) / seconds, processed: observed.processed, seconds: seconds,
        utilisation: observed.busySeconds / (Double(settings.concurrency) * seconds))
}

struct Drained {
    /// Jobs per second.
    var rate: Double
    var processed: Int
    /// From the worker's start to its return.
    var seconds: Double
    /// Busy consumer-seconds ÷ (concurrency × wall time).
    var utilisation: Double
}

extension ConsumerSettings {
    /// The settings of the figures: the defaults (batch 100 × concurrency 4, lease 30 s, poll
    /// 100 ms, scan width 10) or the given batch size and concurrency, and a short grace (every job
    /// has finished when we stop).
    static func bench(batchSize: Int = ConsumerSettings().batchSize, concurrency: Int = ConsumerSettings().concurrency) -> ConsumerSettings {
        ConsumerSettings(concurrency: concurrency, batchSize: batchSize, grace: .seconds(5))
    }
}
