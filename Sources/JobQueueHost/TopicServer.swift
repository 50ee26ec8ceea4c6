import Glibc
import JobQueue
import JobQueuePlugins
import Logging
import Synchronization

/// One topic's plugin, loaded in a fork server of its own: its `jq_init` runs with the topic's
/// configuration and its globals belong to the topic alone, so any number of topics may name one
/// plugin file, and one topic can be reloaded (or refused) without touching the others.
///
/// A reload keeps a topic's server while its plugin file, configuration and policy and the fork
/// servers' settings are unchanged; a server the reload replaces or drops takes no new batch,
/// finishes those it is running, then exits.
final class TopicServer: Sendable {
    let spec: PluginSpec
    let executor: PluginExecutor
    /// The fork server's settings it was started with.
    let settings: ForkServer.Configuration
    /// The plugin file as it was loaded.
    private let file: FileVersion?
    private let state = Mutex<(running: Int, retired: Bool)>((0, false))

    private init(spec: PluginSpec, executor: PluginExecutor, settings: ForkServer.Configuration, file: FileVersion?) {
        self.spec = spec
        self.executor = executor
        self.settings = settings
        self.file = file
    }

    /// Starts a fork server and loads `spec`'s plugin in it.
    ///
    /// - Throws: ``PluginLoadError`` when the plugin does not load, ``ForkServerError`` when no
    ///   fork server starts.
    static func start(
        _ spec: PluginSpec, settings: ForkServer.Configuration, defaults: TopicPolicy, progress: @escaping @Sendable (JobID, JobProgress) -> Void,
        logger: Logger
    ) async throws -> TopicServer {
        // Read before loading: a file replaced while it loads is then seen as changed, and reloaded.
        let file = FileVersion(path: spec.path)
        let executor = try await PluginExecutor.start(
            plugins: [spec], defaults: defaults, configuration: settings, progress: progress, logger: logger)
        return TopicServer(spec: spec, executor: executor, settings: settings, file: file)
    }

    /// True when this server can go on serving `spec` under `settings`: the same plugin file,
    /// unchanged since it was loaded, the same configuration and policy, and a fork server alive.
    func serves(_ spec: PluginSpec, settings: ForkServer.Configuration) -> Bool {
        spec == self.spec && settings == self.settings && FileVersion(path: spec.path) == file && isRunning
    }

    var isRunning: Bool { executor.server.isRunning }

    /// The fork server's process id.
    var pid: pid_t? { executor.server.pid }

    /// Runs `batch`; false, running nothing, once the server is retired (a newer generation
    /// serves the topic: ask it). Checked and counted in one step, so that a retire never shuts
    /// the server down under a batch about to start.
    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async -> Bool {
        let accepted = state.withLock { state in
            if state.retired { return false }
            state.running += 1
            return true
        }
        guard accepted else { return false }
        await executor.run(batch, report: report)
        let finished = state.withLock { state in
            state.running -= 1
            return state.retired && state.running == 0
        }
        if finished { await executor.shutdown(killAfter: Self.shutdownDeadline) }
        return true
    }

    /// Takes no new batches from now on; the fork server exits once the running ones end.
    func retire() async {
        let idle = state.withLock { state in
            state.retired = true
            return state.running == 0
        }
        if idle { await executor.shutdown(killAfter: Self.shutdownDeadline) }
    }

    /// How long a retired server with no batch left may take to exit (its plugin's
    /// `jq_shutdown`) before it is killed.
    static let shutdownDeadline = ForkServer.shutdownDeadline

    /// What tells a plugin file replaced or rewritten: its identity, size and modification time.
    private struct FileVersion: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modified: timespec

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim
        }

        static func == (a: FileVersion, b: FileVersion) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec
                && a.modified.tv_nsec == b.modified.tv_nsec
        }
    }
}
