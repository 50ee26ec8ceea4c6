import Foundation
import JobQueue
import JobQueuePlugins

/// Jobs that take time, as real jobs do (an email, an HTTP call), through the plugin executor at
/// the defaults (batch 100 × concurrency 4): the C FaultWorker fixture sleeps for `sleep:MS`.
///
/// - Throughput and consumer utilisation (busy consumer-seconds ÷ concurrency × wall time) for
///   1 ms, 20 ms and 200 ms jobs in one queue, and for a mix of no-op jobs and 200 ms jobs.
/// - The three cases the concurrency issue was filed with: wall time against the ideal.
/// - Start latency of a new no-op job, enqueued in this process, while jobs of 100–300 ms keep
///   every consumer busy (the new job waits for a consumer to free up).
enum TimedJobsScenario {
    static let concurrency = 4

    static func run(_ bench: Bench) async throws -> [Row] {
        let executor = try await PluginExecutor.start(
            plugins: [
                PluginSpec(topic: "noop", path: bench.noopPlugin),
                PluginSpec(topic: "timed", path: bench.buildFolder + "/libFaultWorker.so"),
            ], logger: bench.quiet)
        let sizes = bench.sizes
        var rows: [Row] = []
        do {
            try await measure(bench, executor, sizes, into: &rows)
        } catch {
            await executor.shutdown()
            throw error
        }
        await executor.shutdown()
        return rows
    }

    private static func measure(_ bench: Bench, _ executor: PluginExecutor, _ sizes: Sizes, into rows: inout [Row]) async throws {

        for (milliseconds, jobs) in [(1, sizes.timedJobs1ms), (20, sizes.timedJobs20ms), (200, sizes.timedJobs200ms)] {
            bench.progress.step("timed: \(jobs) jobs of \(milliseconds) ms in one queue")
            let drained = try await drain(bench, executor, what: "timed \(milliseconds) ms") { store in
                _ = try await store.enqueue((0..<jobs).map { _ in sleepJob(milliseconds, queue: "tenant-0") })
                return jobs
            }
            let ideal = Double(concurrency) * 1000 / Double(milliseconds)
            rows.append(
                Row(
                    .timed, "timed.ms\(milliseconds).rate", "\(milliseconds) ms jobs, one queue: throughput", drained.rate, "jobs/s",
                    note: "ideal \(format(ideal, decimals: 0)); \(jobs) jobs", processed: drained.processed, expected: jobs))
            rows.append(
                Row(
                    .timed, "timed.ms\(milliseconds).utilisation", "\(milliseconds) ms jobs, one queue: consumer utilisation", drained.utilisation,
                    "fraction"))
        }

        let (noops, slow) = (sizes.timedMixNoop, sizes.timedMix200ms)
        bench.progress.step("timed: mix of \(noops) no-op and \(slow) 200 ms jobs")
        let mix = try await drain(bench, executor, what: "timed mix") { store in
            try await fill(store, count: noops) { "noop-\($0 % 10)" }
            _ = try await store.enqueue((0..<slow).map { sleepJob(200, queue: "slow-\($0 % 10)") })
            return noops + slow
        }
        rows.append(
            Row(
                .timed, "timed.mix.rate", "mix, no-op and 200 ms topics: throughput", mix.rate, "jobs/s",
                note: "\(noops) no-op + \(slow) × 200 ms", processed: mix.processed, expected: noops + slow))
        rows.append(
            Row(
                .timed, "timed.mix.seconds", "mix: wall time / ideal (200 ms jobs ÷ \(concurrency))",
                mix.seconds / (Double(slow) * 0.2 / Double(concurrency)), "×"))
        rows.append(Row(.timed, "timed.mix.utilisation", "mix: consumer utilisation", mix.utilisation, "fraction"))

        let milliseconds = sizes.timedCaseMilliseconds
        let cases: [(key: String, label: String, queues: [String], ideal: Double)] = [
            ("one", "8 jobs in one queue", Array(repeating: "tenant-0", count: 8), 2),
            ("spread", "8 jobs in 8 queues", (0..<8).map { "tenant-\($0)" }, 2),
            ("both", "8 in one queue + 8 in 8 queues", Array(repeating: "tenant-0", count: 8) + (1...8).map { "tenant-\($0)" }, 4),
        ]
        for item in cases {
            bench.progress.step("timed: \(item.label), \(milliseconds) ms each")
            let drained = try await drain(bench, executor, what: "timed case \(item.key)") { store in
                _ = try await store.enqueue(item.queues.map { sleepJob(milliseconds, queue: $0) })
                return item.queues.count
            }
            let ideal = item.ideal * Double(milliseconds) / 1000
            rows.append(
                Row(
                    .timed, "timed.case.\(item.key)", "\(item.label) of \(milliseconds) ms: wall time / ideal", drained.seconds / ideal, "×",
                    note: "\(format(drained.seconds, decimals: 2)) s; ideal \(format(ideal, decimals: 2)) s", processed: drained.processed,
                    expected: item.queues.count))
        }

        bench.progress.step("timed: start latency while jobs of 100–300 ms keep the host busy")
        let latencies = try await busyStartLatency(bench, executor)
        for p in [50.0, 99] {
            rows.append(
                Row(
                    .timed, "timed.busy.latency.p\(Int(p))", "new no-op job while jobs of 100–300 ms keep all consumers busy: p\(Int(p))",
                    latencies.percentile(p), "ms", note: p == 50 ? "\(latencies.count) samples" : nil))
        }
    }

    static func sleepJob(_ milliseconds: Int, queue: String) -> NewJob {
        NewJob(queueID: queue, topic: "timed", payload: Array("sleep:\(milliseconds)".utf8))
    }

    /// Fills a fresh store with what `enqueue` returns the count of, and drains it.
    static func drain(
        _ bench: Bench, _ executor: PluginExecutor, what: String, enqueue: (SQLiteJobStore) async throws -> Int
    ) async throws -> Drained {
        let path = bench.newStorePath("timed")
        defer { bench.removeStore(path) }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        let jobs = try await enqueue(store)
        return try await drainRate(bench, store: store, observed: ObservedExecutor(executor), settings: .bench(), expected: jobs, what: what)
    }

    /// A backlog of jobs of 100–300 ms (200 on average; equal durations would keep the consumers
    /// in step, all freeing up at once) that outlasts the sampling; every 50 ms (± 50%) a no-op
    /// job in a queue of its own, timed from just before its enqueue to its outcome.
    static func busyStartLatency(_ bench: Bench, _ executor: PluginExecutor) async throws -> Latencies {
        let samples = bench.sizes.timedLatencySamples
        let path = bench.newStorePath("timed-latency")
        defer { bench.removeStore(path) }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        let backlog = samples * 4 + 4 * concurrency  // ~150 ms a sample: 3 jobs of 200 ms a sample, and a margin
        _ = try await store.enqueue((0..<backlog).map { sleepJob(Int.random(in: 100...300), queue: "backlog-\($0 % 4)") })

        let observed = ObservedExecutor(executor) { $0.hasPrefix("probe-") }
        let worker = JobPipeline(store: store, executor: observed, settings: .bench(), logger: bench.quiet)
        let run = Task { await worker.run() }
        try await Task.sleep(for: .milliseconds(300))  // every consumer busy
        var milliseconds: [Double] = []
        for sample in 0..<samples {
            let queue = "probe-\(sample)"
            let enqueued = Monotonic.nanos()
            _ = try await store.enqueue([noopJob(sample, queue: queue)])
            if await observed.completion(of: queue), let completed = observed.times[queue]?.completed {
                milliseconds.append(Double(completed &- enqueued) / 1e6)
            } else {
                bench.problem("timed latency: probe \(sample) did not complete")
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 25...75)))
        }
        worker.shutdown()
        run.cancel()
        await run.value
        return Latencies(milliseconds: milliseconds)
    }
}
