import JobQueue
import Logging

/// Runs jobs through worker plugins in forked children of a ``ForkServer``.
///
/// Each batch runs in one child; each job's completion is reported the moment its outcome
/// arrives. When a child dies, the job it was running is charged (`crashed: SIGSEGV`,
/// `exited with status 1`, `timed out after 30s`) and the jobs after it are left unreported, so
/// they go back to the queue uncharged.
public final class PluginExecutor: JobExecutor {
    public let server: ForkServer
    /// The plugins loaded in `server`.
    public let plugins: [PluginSpec]
    public let policies: TopicPolicies
    /// Where running jobs' progress reports go (ABI 1.2 `progress`).
    public let progress: @Sendable (JobID, JobProgress) -> Void
    let logger: Logger

    /// An executor over a server in which `plugins` are already loaded; topics without a plugin
    /// here (follow-up jobs for topics served elsewhere) take `defaults`.
    public init(
        server: ForkServer, plugins: [PluginSpec], defaults: TopicPolicy = .default,
        progress: @escaping @Sendable (JobID, JobProgress) -> Void = { _, _ in },
        logger: Logger = Logger(label: "jobqueue.plugins")
    ) {
        self.server = server
        self.progress = progress
        self.plugins = plugins
        self.policies = TopicPolicies(
            Dictionary(plugins.map { ($0.topic, $0.policy) }, uniquingKeysWith: { _, last in last }), defaults: defaults)
        self.logger = logger
    }

    /// Starts a fork server and loads `plugins` into it.
    ///
    /// - Throws: ``PluginLoadError`` listing every plugin that failed (the server is shut down
    ///   then, and killed past `shutdownDeadline` if a loaded plugin's `jq_shutdown` hangs), or
    ///   ``ForkServerError`` if the server cannot be started.
    public static func start(
        plugins: [PluginSpec], defaults: TopicPolicy = .default, configuration: ForkServer.Configuration = ForkServer.Configuration(),
        progress: @escaping @Sendable (JobID, JobProgress) -> Void = { _, _ in }, shutdownDeadline: Duration = ForkServer.shutdownDeadline,
        logger: Logger = Logger(label: "jobqueue.plugins")
    ) async throws -> PluginExecutor {
        let server = try ForkServer(configuration: configuration, logger: logger)
        let results = try await server.load(plugins: plugins)
        let failures = results.filter { !$0.isLoaded }
        guard failures.isEmpty else {
            await server.shutdown(killAfter: shutdownDeadline)
            throw PluginLoadError(failures: failures)
        }
        for result in results {
            if let notice = result.notice { logger.notice("plugin \(notice)", metadata: ["topic": "\(result.topic)"]) }
        }
        return PluginExecutor(server: server, plugins: plugins, defaults: defaults, progress: progress, logger: logger)
    }

    public func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        // A batch normally holds one topic; consecutive runs of a topic each get a child.
        var start = batch.startIndex
        while start < batch.endIndex, !Task.isCancelled {
            let topic = batch[start].topic
            let end = batch[start...].firstIndex { $0.topic != topic } ?? batch.endIndex
            guard let policy = policies.topics[topic] else {
                logger.error("no plugin is loaded for this topic; jobs go back to the queue", metadata: ["topic": "\(topic)"])
                return
            }
            let jobs = Array(batch[start..<end])
            let handle: BatchHandle
            do {
                handle = try server.run(topic: topic, jobs: jobs)
            } catch {
                logger.error("cannot start a batch: \(error)", metadata: ["topic": "\(topic)"])
                return
            }
            let complete = await BatchRun(jobs: jobs, timeout: policy.timeout, handle: handle, logger: logger, report: report, progress: progress)
                .run()
            guard complete else { return }
            start = end
        }
    }

    /// Drains the fork server (running batches finish) and stops it, killing it past `deadline`.
    public func shutdown(killAfter deadline: Duration? = nil) async {
        await server.shutdown(killAfter: deadline)
    }
}
