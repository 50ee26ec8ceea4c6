import JobQueue

/// End to end: a queue full of no-op jobs drained to empty by a real `JobPipeline`, through the
/// plugin executor (fork server, a forked child per batch, the C NoopWorker — what `jobqueue run`
/// does) and through the in-process executor on the same work; the ratio is the cost of isolation.
enum ThroughputScenario {
    static let batchSizes = [1, 10, 100]
    static let concurrencies = [1, 2, 4]

    static func run(_ bench: Bench) async throws -> [Row] {
        let plugins = try await bench.plugins()
        var rows: [Row] = []
        var best: Row?
        for batchSize in batchSizes {
            for concurrency in concurrencies where bench.options.cells?.contains("\(batchSize)x\(concurrency)") ?? true {
                let jobs = batchSize == 1 ? bench.sizes.drainJobsBatch1 : bench.sizes.drainJobs
                let settings = ConsumerSettings.bench(batchSize: batchSize, concurrency: concurrency)
                let cell = "batch \(batchSize) × concurrency \(concurrency)"

                let key = "b\(batchSize).c\(concurrency)"
                let note = "\(format(Double(jobs), decimals: 0)) jobs"
                var isolated: Drained?
                var direct: Drained?
                if bench.options.executors.contains("plugin") {
                    bench.progress.step("e2e: \(cell), plugin in a forked child")
                    isolated = try await drainFreshStore(bench, jobs: jobs, executor: plugins, settings: settings, what: "e2e \(cell) plugin")
                }
                if bench.options.executors.contains("in-process") {
                    bench.progress.step("e2e: \(cell), in-process")
                    direct = try await drainFreshStore(
                        bench, jobs: jobs, executor: bench.inProcess(), settings: settings, what: "e2e \(cell) in-process")
                }
                if let isolated {
                    let row = Row(
                        .e2e, "e2e.plugin.\(key)", "\(cell): plugin, forked child", isolated.rate, "jobs/s", note: note,
                        processed: isolated.processed, expected: jobs)
                    rows.append(row)
                    if isolated.rate > best?.value ?? 0 { best = row }
                }
                if let direct {
                    rows.append(
                        Row(
                            .e2e, "e2e.inprocess.\(key)", "\(cell): in-process", direct.rate, "jobs/s", note: note, processed: direct.processed,
                            expected: jobs))
                }
                if let isolated, let direct {
                    rows.append(Row(.e2e, "e2e.isolation.\(key)", "\(cell): isolated / in-process", isolated.rate / direct.rate, "×"))
                }
            }
        }
        if let best {
            rows.append(Row(.e2e, "e2e.plugin.best", "best plugin figure", best.value, "jobs/s", note: "(\(best.label.split(separator: ":")[0]))"))
        }
        return rows
    }

    /// Fills a fresh store (sync full) with `jobs` jobs in one queue and drains it.
    static func drainFreshStore(
        _ bench: Bench, jobs: Int, executor: any JobExecutor, settings: ConsumerSettings, what: String
    ) async throws -> Drained {
        let path = bench.newStorePath("e2e")
        defer { bench.removeStore(path) }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        try await fill(store, count: jobs, progress: bench.progress) { _ in "tenant-0" }
        return try await drainRate(bench, store: store, executor: executor, settings: settings, expected: jobs, what: what)
    }
}
