import Foundation
import JobQueue
import JobQueueConfig
import JobQueueHost
import JobQueueTestKit
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

/// The host runtime in-process: a `HostService` on a real SQLite file, running real plugins in a
/// real fork server, stopped through swift-service-lifecycle's graceful shutdown or cancellation.
@Suite struct HostServiceTests {
    let folder: String
    let store: SQLiteJobStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try SQLiteJobStore(.init(path: folder + "/queue.db", sync: .normal))
    }

    /// `lib<name>.so`, built next to the test binary by `swift build`.
    static func plugin(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var path = directory.appendingPathComponent("lib\(name).so").path
        // The test bundle may sit one level down (…/debug/JobQueuePackageTests.xctest).
        if !FileManager.default.fileExists(atPath: path) {
            path = directory.deletingLastPathComponent().appendingPathComponent("lib\(name).so").path
        }
        try #require(FileManager.default.fileExists(atPath: path), "\(path) is missing: run `swift build` first")
        return path
    }

    /// How long a test waits for what should take milliseconds, on a machine that may be busy:
    /// only a failure waits that long.
    static let patience: Duration = .seconds(60)

    /// Writes config.yaml serving `topics` (name → plugin) and loads it, with the top-level
    /// sections in `extra` and the plugin configs in `configs` (topic → YAML mapping).
    func configure(_ topics: [String: String], grace: String = "2s", extra: String = "", configs: [String: String] = [:]) throws -> Configuration {
        var text = """
            store: { path: queue.db, sync: normal }
            consumer: { concurrency: 2, lease: 2s, poll: 50ms, grace: \(grace) }
            \(extra)
            topics:

            """
        for (name, plugin) in topics.sorted(by: { $0.key < $1.key }) {
            text += "  \(name): { plugin: \(plugin), config: \(configs[name] ?? "{}") }\n"
        }
        try text.write(toFile: folder + "/config.yaml", atomically: true, encoding: .utf8)
        return try Configuration.load(path: folder + "/config.yaml")
    }

    func host(_ configuration: Configuration) -> HostService {
        HostService(
            // Reloads only when a test asks: a file change would reload on its own besides.
            configPath: folder + "/config.yaml", configuration: configuration, trustingFiles: true, watchingFiles: false,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func status() async throws -> StoreStatus { try await store.status(now: .now) }

    /// Runs `host` while `body` works with it, then shuts it down gracefully and waits until it
    /// has stopped.
    func whileRunning(_ host: HostService, _ body: () async throws -> Void) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                try await body()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    func cleanUp() async {
        await store.close()
        try? FileManager.default.removeItem(atPath: folder)
    }

    @Test func servesJobsThroughPluginsUntilAGracefulShutdown() async throws {
        let host = host(try configure(["fault": try Self.plugin("FaultWorker")]))
        _ = try await store.enqueue((0..<20).map { NewJob(queueID: "q\($0 % 3)", topic: "fault", payload: Array("ok".utf8)) })
        try await whileRunning(host) { () async throws in
            #expect(try await eventually(timeout: Self.patience) { try await status().queues.isEmpty })
            #expect(host.generation == 1)
            #expect(host.servedTopics == ["fault"])
        }
        #expect(try await status().hosts.isEmpty)  // its record is removed at shutdown
        await cleanUp()
    }

    @Test func aReloadStartsANewGenerationAndABadConfigKeepsTheCurrentOne() async throws {
        let host = host(try configure(["fault": try Self.plugin("FaultWorker")]))
        try await whileRunning(host) { () async throws in
            #expect(await eventually(timeout: Self.patience) { host.generation == 1 })

            _ = try configure(["fault": try Self.plugin("FaultWorker"), "noop": try Self.plugin("NoopWorker")])
            host.reload()
            #expect(await eventually(timeout: Self.patience) { host.generation == 2 })
            #expect(host.servedTopics == ["fault", "noop"])
            // The host record says which generation serves, for `status` and the dashboard.
            #expect(try await eventually(timeout: Self.patience) { try await status().hosts.map(\.generation) == [2] })
            _ = try await store.enqueue([NewJob(queueID: "q", topic: "noop", payload: Array("{}".utf8))])
            #expect(try await eventually(timeout: Self.patience) { try await status().queues.isEmpty })

            try "topics: [".write(toFile: folder + "/config.yaml", atomically: true, encoding: .utf8)
            host.reload()
            #expect(await eventually(timeout: Self.patience) { host.note?.hasPrefix("reload refused: ") == true })
            #expect(host.generation == 2)
            #expect(host.servedTopics == ["fault", "noop"])
        }
        await cleanUp()
    }

    /// Graceful shutdown would wait an hour for the running job; cancellation stops it at once,
    /// and the job goes back to its queue uncharged.
    @Test func cancellationStopsRunningBatchesAtOnce() async throws {
        let host = host(try configure(["fault": try Self.plugin("FaultWorker")], grace: "1h"))
        _ = try await store.enqueue([NewJob(queueID: "q", topic: "fault", payload: Array("sleep:3600000".utf8))])
        let finished = Mutex(false)
        let run = Task {
            try await host.run()
            finished.withLock { $0 = true }
        }
        #expect(try await eventually(timeout: Self.patience) { try await status().queues.first?.leased == 1 })
        run.cancel()
        // Were it waiting out the grace period, it would not end within the hour.
        try #require(await eventually(timeout: .seconds(20)) { finished.withLock { $0 } })
        try await run.value
        let queue = try #require(try await status().queues.first)
        #expect(queue.leased == 0 && queue.ready == 1)
        let again = try await store.lease(queue: QueueKey(queueID: "q", topic: "fault"), limit: 1, duration: .seconds(5), owner: "test", now: .now)
        #expect(again.map(\.attempt) == [1])
        await cleanUp()
    }

    /// A plugin whose `jq_init` hangs, with an hour's `init_timeout`: a graceful shutdown during
    /// the start gives it up (the process loading it is killed), and `run()` ends as a stop does,
    /// without an error: the plugin did nothing wrong.
    @Test(.timeLimit(.minutes(1))) func aGracefulShutdownDuringStartGivesUpAPluginStillLoading() async throws {
        let hanging = folder + "/libhang.so"
        try FileManager.default.copyItem(atPath: try Self.plugin("FaultWorker"), toPath: hanging)
        let host = host(try configure(["hang": hanging], extra: "children: { init_timeout: 1h }", configs: ["hang": "{ init_hang: true }"]))
        await testGracefulShutdown { trigger in
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                #expect(await eventually(timeout: Self.patience) { !Self.processesMapping(hanging).isEmpty })
                trigger.triggerGracefulShutdown()
                await #expect(throws: Never.self) { try await group.waitForAll() }
            }
        }
        #expect(await eventually(timeout: Self.patience) { Self.processesMapping(hanging).isEmpty })
        #expect(host.generation == 0)
        await cleanUp()
    }

    /// Processes that have `path` mapped (loaded).
    static func processesMapping(_ path: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8))?.contains(path) == true
        }
    }

    @Test func aStoreThatBecomesUnusableStopsTheHostWithAHostFailure() async throws {
        let host = host(try configure(["fault": try Self.plugin("FaultWorker")]))
        try await testGracefulShutdown { _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                #expect(await eventually(timeout: Self.patience) { host.generation == 1 })
                try FileManager.default.removeItem(atPath: folder + "/queue.db")
                await #expect(throws: HostFailure.self) { try await group.waitForAll() }
            }
        }
        await cleanUp()
    }
}
