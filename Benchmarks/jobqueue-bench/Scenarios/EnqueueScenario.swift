import JobQueue

/// Enqueue rate through `JobClient` (what the CLI and embedding code use): one job per
/// transaction and batches of 100 and 1000, from 1 and from 4 concurrent producers, with
/// `sync: full` and `normal`. Each figure starts from a fresh store.
enum EnqueueScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        var rows: [Row] = []
        for sync in SyncMode.allCases {
            for perTransaction in [1, 100, 1000] {
                for producers in [1, 4] {
                    let total = perTransaction == 1 ? bench.sizes.singleEnqueues : bench.sizes.batchedEnqueues
                    let what = perTransaction == 1 ? "1 job/transaction" : "batches of \(perTransaction)"
                    bench.progress.step("enqueue: \(what), \(producers) producer(s), sync \(sync)")
                    let path = bench.newStorePath("enqueue")
                    defer { bench.removeStore(path) }
                    let client = JobClient(store: try SQLiteJobStore(.init(path: path, sync: sync)))
                    let jobsPerSecond = try await rate(total) {
                        try await produce(client, total: total, perTransaction: perTransaction, producers: producers, progress: bench.progress)
                    }
                    let key = "enqueue.\(perTransaction == 1 ? "single" : "batch\(perTransaction)").p\(producers).\(sync)"
                    rows.append(
                        Row(
                            .enqueue, key, "\(what), \(producers) producer\(producers == 1 ? "" : "s"), sync \(sync)", jobsPerSecond, "jobs/s",
                            note: "\(format(Double(total), decimals: 0)) jobs"))
                }
            }
        }
        let batched = rows.filter { $0.key.hasPrefix("enqueue.batch") && $0.key.hasSuffix(".full") }
        if let best = batched.max(by: { $0.value < $1.value }) {
            rows.append(Row(.enqueue, "enqueue.batched.best.full", "best batched figure, sync full", best.value, "jobs/s", note: "(\(best.label))"))
        }
        return rows
    }

    /// `producers` tasks enqueue `total` jobs between them, `perTransaction` per call.
    static func produce(_ client: JobClient, total: Int, perTransaction: Int, producers: Int, progress: Progress) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let share = total / producers
            for producer in 0..<producers {
                let first = producer * share
                let last = producer == producers - 1 ? total : first + share
                group.addTask {
                    var start = first
                    while start < last {
                        let end = min(start + perTransaction, last)
                        _ = try await client.enqueue((start..<end).map { noopJob($0, queue: "tenant-\($0 % 10)") })
                        start = end
                        if producer == 0 { progress.detail("\(format(Double((start - first) * producers), decimals: 0)) jobs") }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
