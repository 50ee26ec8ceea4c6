import Foundation
import GRDB
import JobQueue
import JobQueuePlugins
import Logging
import Synchronization

/// What every scenario shares: sizes, the folder stores go in, the build products, progress, the
/// list of problems, and the one plugin executor (a fork server with the C NoopWorker loaded,
/// started once, as `jobqueue run` starts one per generation).
final class Bench: Sendable {
    let options: Options
    let sizes: Sizes
    let folder: String
    let progress: Progress
    let quiet = Logger(label: "jobqueue-bench", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The folder of this executable: the fork server, the plugins and `jobqueue` are built there.
    let buildFolder: String
    private let state = Mutex<(problems: [String], plugins: PluginExecutor?, stores: Int)>(([], nil, 0))

    init(options: Options) throws {
        self.options = options
        self.sizes = Sizes.of(options.size)
        let base = options.folder ?? FileManager.default.temporaryDirectory.path
        self.folder = base + "/jobqueue-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        self.progress = Progress()
        self.buildFolder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    var noopPlugin: String { buildFolder + "/libNoopWorker.so" }
    var jobqueueBinary: String { buildFolder + "/jobqueue" }
    var benchBinary: String { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path }

    /// A path for a new store file in the run's folder.
    func newStorePath(_ name: String) -> String {
        let number = state.withLock { state in
            state.stores += 1
            return state.stores
        }
        return "\(folder)/\(number)-\(name).db"
    }

    /// A new, empty store.
    func freshStore(_ name: String, sync: SyncMode = .full) throws -> SQLiteJobStore {
        try SQLiteJobStore(.init(path: newStorePath(name), sync: sync))
    }

    /// Deletes a store file and its -wal and -shm companions.
    func removeStore(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The fork server with NoopWorker loaded, started on first use and kept for the whole run.
    func plugins() async throws -> PluginExecutor {
        if let existing = state.withLock({ $0.plugins }) { return existing }
        let started = try await PluginExecutor.start(plugins: [PluginSpec(topic: "noop", path: noopPlugin)], logger: quiet)
        return state.withLock { state in
            if let existing = state.plugins {
                Task { await started.shutdown() }
                return existing
            }
            state.plugins = started
            return started
        }
    }

    /// The in-process executor with a no-op handler for the same topic.
    func inProcess(onStart: (@Sendable (InProcessJob) -> Void)? = nil) -> InProcessExecutor {
        let executor = InProcessExecutor()
        executor.register("noop") { job in
            onStart?(job)
            return .ok()
        }
        return executor
    }

    func problem(_ text: String) {
        progress.note("problem: \(text)")
        state.withLock { $0.problems.append(text) }
    }

    var problems: [String] { state.withLock { $0.problems } }

    /// Checks that a run processed what it should have.
    func check(_ what: String, processed: Int, expected: Int) {
        if processed != expected { problem("\(what): \(processed) of \(expected) jobs processed") }
    }

    func shutdown() async {
        if let plugins = state.withLock({ $0.plugins }) { await plugins.shutdown() }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// The benchmark's job: a small JSON payload, to `queue`.
func noopJob(_ index: Int, queue: String, visibleAt: Timestamp? = nil) -> NewJob {
    NewJob(queueID: queue, topic: "noop", payload: Array(#"{"n":\#(index)}"#.utf8), visibleAt: visibleAt)
}

/// Enqueues `count` jobs in transactions of `batch`; `queue` names each job's queue.
func fill(
    _ store: any JobStore, count: Int, batch: Int = 1000, progress: Progress? = nil, visibleAt: Timestamp? = nil, queue: (Int) -> String
) async throws {
    var start = 0
    while start < count {
        let end = min(start + batch, count)
        _ = try await store.enqueue((start..<end).map { noopJob($0, queue: queue($0), visibleAt: visibleAt) })
        start = end
        progress?.detail("enqueued \(format(Double(start), decimals: 0)) of \(format(Double(count), decimals: 0))")
    }
}

/// For the short-lived connections that fold a built store's WAL into its file: the store that
/// built it may still be closing (its last connection checkpoints too), so wait rather than fail.
let checkpointConfiguration: GRDB.Configuration = {
    var configuration = GRDB.Configuration()
    configuration.busyMode = .timeout(30)
    return configuration
}()
