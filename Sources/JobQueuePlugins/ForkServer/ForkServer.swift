import JobQueue
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One generation of the fork server: a small single-threaded C process that loads plugins once
/// and forks a child per batch, so that this multi-threaded host never forks and a plugin that
/// crashes or hangs only takes a child down.
///
/// Started with posix_spawn; commands go down its stdin and events come back on its stdout, read
/// by one dedicated thread. To change plugins, start a new generation and ``shutdown()`` the old
/// one: it finishes its running batches, then exits. Dropping the last reference without
/// shutting down closes the command pipe, and the server kills its batches and exits.
public final class ForkServer: Sendable {
    /// The server's process id.
    public let pid: pid_t
    /// The executable that was started.
    public let executablePath: String
    public let configuration: Configuration

    let channel: CommandChannel
    let router: EventRouter

    /// Starts a fork server. It has no plugins until ``load(plugins:)``.
    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "jobqueue.forkserver")) throws(ForkServerError) {
        let executable = try Self.locateExecutable(configuration.executablePath)
        let router = EventRouter()
        // Spawned by the thread that reads its events, which lives as long as the server: the
        // server's parent-death signal follows that thread (see the fork server's follow_host).
        let (pid, commandFD) = try EventReader.start(router: router, logger: logger) { () throws(ForkServerError) in
            try Self.spawn(
                executable: executable, swiftBacktraces: configuration.swiftBacktraces, runAs: configuration.runAs, sandbox: configuration.sandbox)
        }
        self.pid = pid
        self.executablePath = executable
        self.configuration = configuration
        self.channel = CommandChannel(descriptor: commandFD)
        self.router = router
    }

    deinit {
        channel.close()
    }

    /// Loads plugins one after another: dlopen, ABI check, `jq_init`, single-thread check.
    /// Returns one result per plugin, in order; a failed plugin's result says why in one line. The
    /// configured resource limits apply to every batch started afterwards.
    ///
    /// A plugin still loading after `configuration.initTimeout` (its `jq_init` hangs) gets the
    /// server killed: its result says so, and it is the last result (no later plugin is tried).
    /// Cancelling the calling task kills the server too.
    ///
    /// - Throws: ``ForkServerError/notRunning`` after ``shutdown()``, ``ForkServerError/exited(_:)``
    ///   if the server ended before answering (a plugin's `jq_init` crashed it).
    public func load(plugins: [PluginSpec]) async throws -> [PluginLoadResult] {
        var results: [PluginLoadResult] = []
        for plugin in plugins {
            guard let result = try await load(plugin) else {
                let limit = configuration.initTimeout?.brief ?? "its deadline"
                results.append(
                    PluginLoadResult(
                        topic: plugin.topic,
                        failure: "jq_init did not return within \(limit) (children.init_timeout); the process loading it was stopped"))
                break
            }
            results.append(result)
        }
        return results
    }

    /// Loads one plugin; nil when it ran past `initTimeout` and the server was killed.
    private func load(_ plugin: PluginSpec) async throws -> PluginLoadResult? {
        let frame = ServerCommand.load([plugin], limits: configuration.limits, swiftBacktraces: configuration.swiftBacktraces).frame
        do {
            let results = try await withDeadline(configuration.initTimeout) {
                try await withCheckedThrowingContinuation { continuation in
                    do {
                        try self.channel.send(frame) { self.router.expectLoad(continuation) }
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
            return results.first ?? PluginLoadResult(topic: plugin.topic, failure: "the fork server gave no answer")
        } catch is DeadlineExceeded {
            Glibc.kill(pid, SIGKILL)  // the given-up load ends with the server
            return nil
        } catch is CancellationError {
            Glibc.kill(pid, SIGKILL)
            throw CancellationError()
        }
    }

    /// Starts running `jobs` (in order, in one forked child) with the plugin loaded for `topic`.
    /// Follow the batch through the handle's events.
    ///
    /// - Throws: ``ForkServerError/notRunning`` once the server is shut down or gone.
    public func run(topic: String, jobs: [LeasedJob]) throws(ForkServerError) -> BatchHandle {
        // Routed before it is sent, so no event of the batch can arrive unexpected.
        let (id, events) = router.openBatch()
        do {
            try channel.send(ServerCommand.run(batch: id, topic: topic, jobs: jobs).frame)
        } catch {
            router.dropBatch(id)
            throw error
        }
        return BatchHandle(id: id, events: events, server: self)
    }

    /// SIGKILLs batch `id`'s child and its process group; its `.exited` event follows.
    public func kill(batch id: UInt64) {
        try? channel.send(ServerCommand.kill(batch: id).frame)
    }

    /// How long a fork server with no batch left may take to exit (its plugins' `jq_shutdown`)
    /// before it is killed: the host's deadline for a retired server, `check`'s, and that of a
    /// server whose plugins did not all load.
    public static let shutdownDeadline: Duration = .seconds(10)

    /// Drains and stops the server: no new batches, running ones finish, plugins get
    /// `jq_shutdown`, the process exits; past `deadline` (if given) it is killed, so that a
    /// `jq_shutdown` that never returns holds nothing up. Returns how it exited (nil if it could
    /// not be reaped).
    @discardableResult
    public func shutdown(killAfter deadline: Duration? = nil) async -> WaitStatus? {
        try? channel.send(ServerCommand.shutdown.frame)
        let killer = deadline.map { deadline in
            Task { [pid] in
                try await Task.sleep(for: deadline)
                Glibc.kill(pid, SIGKILL)
            }
        }
        let status = await router.waitForEnd()
        killer?.cancel()
        channel.close()
        return status
    }

    /// True until the server's process has ended.
    public var isRunning: Bool { !router.ended.0 }
}
