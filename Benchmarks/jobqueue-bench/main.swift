import Foundation
import JobQueue
import JobQueueHost
import Logging

// Engine figures on this machine: enqueue rates and in-process end-to-end throughput.
// Run: swift run -c release jobqueue-bench [--quick]

let quick = CommandLine.arguments.contains("--quick")
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

func freshStore(_ sync: SyncMode) throws -> SQLiteJobStore {
    try SQLiteJobStore(.init(path: "\(folder)/bench-\(UUID().uuidString).db", sync: sync))
}

func rate(_ count: Int, _ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func job(_ i: Int, queues: Int = 1) -> NewJob {
    NewJob(queueID: "tenant-\(i % queues)", topic: "noop", payload: Array(#"{"n":\#(i)}"#.utf8))
}

func report(_ name: String, _ value: Double, _ unit: String = "jobs/s") {
    print(name.padding(toLength: 58, withPad: " ", startingAt: 0), String(format: "%10.0f %@", value, unit))
}

let singles = quick ? 500 : 5_000
for sync in [SyncMode.full, .normal] {
    let store = try freshStore(sync)
    report("enqueue, 1 job/transaction, 1 producer, sync \(sync)", try await rate(singles) {
        for i in 0..<singles { _ = try await store.enqueue([job(i)]) }
    })
    let concurrent = try freshStore(sync)
    report("enqueue, 1 job/transaction, 4 producers, sync \(sync)", try await rate(singles) {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for producer in 0..<4 {
                group.addTask {
                    for i in stride(from: producer, to: singles, by: 4) { _ = try await concurrent.enqueue([job(i)]) }
                }
            }
            try await group.waitForAll()
        }
    })
    for size in [100, 1000] {
        let batched = try freshStore(sync)
        let total = quick ? 20_000 : 200_000
        report("enqueue, batches of \(size), sync \(sync)", try await rate(total) {
            for start in stride(from: 0, to: total, by: size) {
                _ = try await batched.enqueue((start..<start + size).map { job($0) })
            }
        })
    }
}

// End to end: a full queue drained to empty, by the in-process executor with a no-op handler,
// and by the plugin executor (fork server, a child per batch) with the C NoopWorker plugin.
let jobs = quick ? 5_000 : 20_000
let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
let buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path

func drain(_ executor: any JobExecutor, batchSize: Int, concurrency: Int) async throws -> Double {
    let store = try freshStore(.full)
    for start in stride(from: 0, to: jobs, by: 1000) {
        _ = try await store.enqueue((start..<min(start + 1000, jobs)).map { job($0) })
    }
    let settings = WorkerSettings(concurrency: concurrency, batchSize: batchSize, grace: .seconds(1), drain: true)
    let worker = JobWorker(store: store, executor: executor, settings: settings, logger: quiet)
    return await rate(jobs) { await worker.run() }
}

let inProcess = InProcessExecutor()
inProcess.register("noop") { _ in .ok() }
let plugins = try await PluginExecutor.start(plugins: [PluginSpec(topic: "noop", path: "\(buildFolder)/libNoopWorker.so")], logger: quiet)
for batchSize in [1, 10, 100] {
    for concurrency in [1, 2, 4] {
        let isolated = try await drain(plugins, batchSize: batchSize, concurrency: concurrency)
        let direct = try await drain(inProcess, batchSize: batchSize, concurrency: concurrency)
        report("no-op, batch \(batchSize) × concurrency \(concurrency): plugin in forked child", isolated)
        report("no-op, batch \(batchSize) × concurrency \(concurrency): in-process", direct)
    }
}
await plugins.shutdown()

