import Foundation
import JobQueue
import Synchronization

/// Start latency on an idle host: another process enqueues one job, with a pause between jobs so
/// the host is idle (its manager asleep, only the change check running) each time, and we time
/// from just before that process's enqueue call to the job starting in the host.
///
/// The host is a real `JobPipeline` with the default settings. With the plugin executor the handler
/// runs in a forked child, so what the host can see is the outcome coming back: that time is an
/// upper bound of the handler's start (it adds the child's run and the event's trip back). With
/// the in-process executor the handler's first instruction is timed exactly. A third figure spawns
/// the real `jobqueue enqueue` binary and so includes that process's start-up.
enum StartLatencyScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        var rows: [Row] = []
        let plugins = try await bench.plugins()

        bench.progress.step("latency: producer process → plugin host")
        let pluginRun = try await measure(bench, executor: plugins, name: "plugin", cli: true)
        rows += row("latency.producer.plugin", "second process → outcome back (plugin, fork)", pluginRun.toOutcome)
        rows += row(
            "latency.producer.plugin.dispatch", "second process → batch handed to the fork server", pluginRun.toDispatch, percentiles: [50, 99])
        if let cli = pluginRun.cli {
            rows += row("latency.cli.plugin", "`jobqueue enqueue` spawned → outcome back (incl. its start-up)", cli, percentiles: [50, 100])
        }

        bench.progress.step("latency: producer process → in-process host")
        let started = Mutex<[String: UInt64]>([:])
        let direct = bench.inProcess { job in
            let now = Monotonic.nanos()
            started.withLock { $0[job.metadata.queueID] = now }
        }
        let directRun = try await measure(bench, executor: direct, name: "in-process", cli: false, handlerStarts: { started.withLock { $0 } })
        rows += row("latency.producer.inprocess", "second process → handler start (in-process)", directRun.toHandler)
        return rows
    }

    private static func row(_ key: String, _ label: String, _ latencies: Latencies, percentiles: [Double] = [50, 99, 100]) -> [Row] {
        percentiles.map { p in
            let name = p == 100 ? "max" : "p\(Int(p))"
            return Row(
                .latency, "\(key).\(name)", "\(label): \(name)", latencies.percentile(p), "ms",
                note: p == percentiles.first ? "\(latencies.count) samples" : nil)
        }
    }

    struct Run {
        var toOutcome = Latencies(milliseconds: [])
        var toDispatch = Latencies(milliseconds: [])
        var toHandler = Latencies(milliseconds: [])
        var cli: Latencies?
    }

    static func measure(
        _ bench: Bench, executor: any JobExecutor, name: String, cli: Bool, handlerStarts: (@Sendable () -> [String: UInt64])? = nil
    ) async throws -> Run {
        let path = bench.newStorePath("latency")
        defer { bench.removeStore(path) }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        let observed = ObservedExecutor(executor, track: { $0.hasPrefix("lat-") })
        let worker = JobPipeline(store: store, executor: observed, settings: .bench(), logger: bench.quiet)
        let host = Task { await worker.run() }
        defer { worker.shutdown() }

        let producer = try LineProcess(executable: bench.benchBinary, arguments: ["--producer", path, "--producer-sync", "full"])
        var answers = producer.lines.makeAsyncIterator()
        guard await answers.next() == "ready" else {
            bench.problem("latency (\(name)): the producer process did not start")
            await producer.finish()
            return Run()
        }
        try await Task.sleep(for: .milliseconds(200))

        var enqueuedAt: [String: UInt64] = [:]
        var lost = 0
        for sample in 0..<bench.sizes.latencySamples {
            // Idle between jobs, for a varying time so that enqueues fall at every phase of the check.
            try await Task.sleep(for: .milliseconds(Int.random(in: 15...35)))
            let queue = "lat-\(sample)"
            producer.send(queue)
            guard let answer = await answers.next(), let start = answer.split(separator: " ").first.flatMap({ UInt64($0) }) else {
                bench.problem("latency (\(name)): the producer process stopped answering")
                break
            }
            enqueuedAt[queue] = start
            if await !observed.completion(of: queue) { lost += 1 }
            bench.progress.detail("\(sample + 1) of \(bench.sizes.latencySamples)")
        }
        await producer.finish()
        if lost > 0 { bench.problem("latency (\(name)): \(lost) job(s) never completed") }

        var run = Run()
        let times = observed.times
        let starts = handlerStarts?() ?? [:]
        func milliseconds(_ from: UInt64, _ to: UInt64?) -> Double? { to.map { Double(Int64(bitPattern: $0 &- from)) / 1e6 } }
        run.toOutcome = Latencies(milliseconds: enqueuedAt.compactMap { milliseconds($0.value, times[$0.key]?.completed) })
        run.toDispatch = Latencies(milliseconds: enqueuedAt.compactMap { milliseconds($0.value, times[$0.key]?.dispatched) })
        run.toHandler = Latencies(milliseconds: enqueuedAt.compactMap { milliseconds($0.value, starts[$0.key]) })

        if cli {
            run.cli = try await throughCLI(bench, storePath: path, observed: observed)
        }
        worker.shutdown()
        await host.value
        return run
    }

    /// Spawns `jobqueue enqueue` per sample; times from just before the spawn to the outcome.
    static func throughCLI(_ bench: Bench, storePath: String, observed: ObservedExecutor) async throws -> Latencies {
        bench.progress.step("latency: `jobqueue enqueue` binary → plugin host")
        guard FileManager.default.isExecutableFile(atPath: bench.jobqueueBinary) else {
            bench.problem("latency: \(bench.jobqueueBinary) is missing (build the jobqueue product)")
            return Latencies(milliseconds: [])
        }
        let config = bench.folder + "/latency-cli.yaml"
        try "store: { path: \"\(storePath)\", sync: full }\ntopics:\n  noop: { plugin: \"\(bench.noopPlugin)\" }\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        var samples: [Double] = []
        for sample in 0..<bench.sizes.cliSamples {
            try await Task.sleep(for: .milliseconds(Int.random(in: 15...35)))
            let queue = "lat-cli-\(sample)"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bench.jobqueueBinary)
            process.arguments = ["enqueue", "--config", config, queue, "noop", "{}"]
            process.standardOutput = FileHandle.nullDevice
            let start = Monotonic.nanos()
            try process.run()
            let completed = await observed.completion(of: queue)
            await process.exited()
            guard completed, process.terminationStatus == 0, let end = observed.times[queue]?.completed else {
                bench.problem("latency: `jobqueue enqueue` sample \(sample) failed (exit \(process.terminationStatus))")
                continue
            }
            samples.append(Double(end - start) / 1e6)
        }
        return Latencies(milliseconds: samples)
    }
}
