import JobQueue

/// Fairness: one tenant has a large backlog and the plugin host (default settings) is busy with
/// it; then 100 tenants enqueue one job each, and we time each newcomer from its enqueue call to
/// its outcome (an upper bound of its start, as in the latency scenario). Two arrival patterns:
/// all at once (100 concurrent transactions: the worst case, every newcomer queues behind the
/// others too), and spread at random over one second (less in a smoke run).
enum FairnessScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        let sizes = bench.sizes
        let plugins = try await bench.plugins()
        let path = bench.newStorePath("fairness")
        defer { bench.removeStore(path) }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        let client = JobClient(store: store)

        bench.progress.step("fairness: one tenant enqueues a backlog of \(format(Double(sizes.backlog), decimals: 0))")
        try await fill(store, count: sizes.backlog, progress: bench.progress) { _ in "big" }

        let observed = ObservedExecutor(plugins, track: { $0.hasPrefix("new-") })
        let worker = JobPipeline(store: store, executor: observed, settings: .bench(), logger: bench.quiet)
        let host = Task { await worker.run() }
        defer { worker.shutdown() }
        // Let the host get into its stride on the backlog.
        try await Task.sleep(for: .milliseconds(bench.options.size == .smoke ? 50 : 300))
        let window = Int(sizes.spreadSeconds * 1000)
        let windowText = sizes.spreadSeconds == 1 ? "1 s" : "\(window) ms"

        var rows: [Row] = []
        for pattern in ["burst", "spread"] {
            bench.progress.step("fairness: \(sizes.newcomers) newcomers, \(pattern == "burst" ? "all at once" : "spread over \(windowText)")")
            let starts = try await withThrowingTaskGroup(of: (String, UInt64).self) { group in
                for newcomer in 0..<sizes.newcomers {
                    group.addTask {
                        if pattern == "spread" { try await Task.sleep(for: .milliseconds(Int.random(in: 0..<window))) }
                        let queue = "new-\(pattern)-\(newcomer)"
                        let start = Monotonic.nanos()
                        try await client.enqueue(queue: queue, topic: "noop", payload: Array(#"{"n":0}"#.utf8))
                        return (queue, start)
                    }
                }
                var starts: [String: UInt64] = [:]
                for try await (queue, start) in group { starts[queue] = start }
                return starts
            }
            var lost = 0
            for queue in starts.keys where await !observed.completion(of: queue) { lost += 1 }
            if lost > 0 { bench.problem("fairness: \(lost) newcomer job(s) never completed") }
            let times = observed.times
            let latencies = Latencies(
                milliseconds: starts.compactMap { queue, start in
                    times[queue]?.completed.map { Double($0 - start) / 1e6 }
                })
            let label = pattern == "burst" ? "\(sizes.newcomers) newcomers at once" : "\(sizes.newcomers) newcomers over \(windowText)"
            for (p, name) in [(50.0, "p50"), (99.0, "p99"), (100.0, "max")] {
                rows.append(
                    Row(
                        .fairness, "fairness.\(pattern).\(name)", "\(label): enqueue → outcome, \(name)", latencies.percentile(p), "ms",
                        note: p == 50 ? "\(latencies.count) samples" : nil))
            }
        }
        let bigDone = observed.processed - 2 * sizes.newcomers
        if bigDone >= sizes.backlog {
            // A smoke run checks the harness, not the figure (a debug build drains its small backlog fast).
            let text = "fairness: the backlog ran out before the newcomers were done; the figure is meaningless"
            if bench.options.size == .smoke { bench.progress.note(text) } else { bench.problem(text) }
        }
        rows.append(
            Row(
                .fairness, "fairness.backlog.done", "backlog jobs run meanwhile", Double(bigDone), "jobs",
                note: "of \(format(Double(sizes.backlog), decimals: 0))"))
        worker.shutdown()
        await host.value
        return rows
    }
}
