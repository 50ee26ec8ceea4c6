import Foundation
import JobQueue
import JobQueueConfig
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The host (`jobqueue run`) as a swift-service-lifecycle `Service`: the pipeline over the
/// configured store, executing batches through plugin generations, reloading when the
/// configuration or a plugin file changes, on SIGHUP, or on ``reload()``.
///
/// Run it in a `ServiceGroup`, which turns SIGTERM and SIGINT into a graceful shutdown: no new
/// work, running batches get `grace` to finish. Cancelling the task that runs it stops at once:
/// running batches are stopped and their unfinished jobs go back to the queue uncharged.
///
/// `run()` returns when stopped, or by itself once the queue is drained (`drain`). It throws a
/// ``HostFailure`` when the store became unusable after the host started, and the store's or a
/// plugin's error when the host cannot start.
public final class HostService: Service, Sendable {
    public let configPath: String
    public let initial: Configuration
    public let drain: Bool
    /// Skip the ownership and permission checks of config and plugin files on reload.
    public let trustingFiles: Bool
    /// Reload when the config file or a plugin file changes (as well as on SIGHUP and
    /// ``reload()``).
    public let watchingFiles: Bool
    let logger: Logger
    /// Counts runs and reloads for `/metrics`, when the host has a listener.
    let metrics: HostMetrics?

    private let reloads = Doorbell()
    private let executor: ReloadingExecutor
    private let generations = Atomic<Int>(0)
    private let pipeline = Mutex<JobPipeline?>(nil)

    /// A host for `configuration`, loaded from `configPath` (which reloads read again).
    public init(
        configPath: String, configuration: Configuration, drain: Bool = false, trustingFiles: Bool = false, watchingFiles: Bool = true,
        metrics: HostMetrics? = nil, logger: Logger
    ) {
        self.metrics = metrics
        self.watchingFiles = watchingFiles
        self.configPath = configPath
        self.initial = configuration
        self.drain = drain
        self.trustingFiles = trustingFiles
        self.logger = logger
        executor = ReloadingExecutor { [reloads, logger] topic in
            logger.error("the fork server of this topic died; a new generation restarts it", metadata: ["topic": "\(topic)"])
            reloads.ring()
        }
    }

    /// Asks for a reload, as SIGHUP and file changes do; it happens after a short quiet period.
    public func reload() {
        reloads.ring()
    }

    /// The number of the generation serving now (1 at start, one more per reload); 0 before start.
    public var generation: Int { executor.generation?.number ?? 0 }

    /// The topics the current generation serves.
    public var servedTopics: [String] { executor.generation?.servers.keys.sorted() ?? [] }

    /// The limits of the topics the current generation serves (topics without any left out), as
    /// their servers apply them.
    public var topicLimits: [String: TopicLimits] { executor.policies.limits(of: Set(servedTopics)) }

    /// The schedules the host ticks (those of the configuration serving now).
    public var schedules: [Schedule] { pipeline.withLock { $0?.schedules } ?? [] }

    /// Why the last reload was refused, until one succeeds (also shown by `jobqueue status`).
    public var note: String? { pipeline.withLock { $0?.note } }

    /// Batches running now, each in a child process.
    public var runningBatches: Int { pipeline.withLock { $0?.runningBatches } ?? 0 }

    /// The process id of each served topic's fork server.
    public var forkServerPIDs: [String: pid_t] {
        executor.generation?.servers.filter(\.value.isRunning).compactMapValues(\.pid) ?? [:]
    }

    /// The store the host works on, once it runs.
    public var store: (any JobStore)? { pipeline.withLock { $0?.store } }

    /// A client of the host's store that applies the configuration in effect: its topics'
    /// defaults and `store.max_payload`. Nil until the store is open.
    public var client: JobClient? {
        guard let store else { return nil }
        let configuration = executor.generation?.configuration ?? initial
        return JobClient(store: store, policies: configuration.policies, maxPayload: configuration.store.maxPayload)
    }

    /// Jobs running now in this host's children.
    public var runningJobs: Int { pipeline.withLock { $0?.runningJobCount } ?? 0 }

    public func run() async throws {
        // Trapped first: until then, SIGHUP's default action would end the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let store = try await initial.store.open(logger: logger)
        let first: Generation
        do {
            // A plugin still loading at a graceful shutdown (its `jq_init` hangs) is given up.
            let number = generations.add(1, ordering: .relaxed).newValue
            first = try await cancelWhenGracefulShutdown { [initial, logger, progress] in
                try await Generation.start(number: number, configuration: initial, progress: progress, logger: logger)
            }
        } catch is CancellationError {
            await store.close()
            logger.info("stopped while the plugins were loading")
            return
        } catch {
            await store.close()
            throw error
        }
        _ = executor.install(first)
        let worker = JobPipeline(
            store: store, executor: executor, settings: initial.consumerSettings(drain: drain), observer: metrics, logger: logger)
        worker.setSchedules(initial.schedules)
        if let warning = initial.rootWarning { logger.warning("\(warning)") }
        if let refusals = first.refusalNote { logger.error("some topics are not served: \(refusals)") }
        worker.setNote(Self.note([first.refusalNote], configuration: initial))
        pipeline.withLock { $0 = worker }
        logger.info(
            "jobqueue \(JobQueueVersion.current) serving \(first.servers.keys.sorted().joined(separator: ", ")) from \(initial.store.location)"
        )

        let watcher = watchingFiles ? FileWatcher { [reloads] _ in reloads.ring() } : nil
        watcher?.watch(initial.watchedFiles)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.reloadLoop(worker: worker, watcher: watcher) }
                group.addTask {
                    for await _ in hangups { self.reload() }
                }
                await worker.run()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            worker.shutdown()
        }
        watcher?.stop()
        await executor.generation?.retire()
        await store.close()
        if let failure = worker.failure { throw HostFailure(underlying: failure) }
    }

    /// Waits for change signals; after a short quiet period (installers write in steps), reloads.
    /// While a topic is not served (its plugin refused at start or at a reload, or its fork server
    /// died and cannot be restarted), retries, waiting longer each time (0.5 s, doubling, to 60 s).
    private func reloadLoop(worker: JobPipeline, watcher: FileWatcher?) async {
        var retry: Duration? = executor.generation?.unservedTopics.isEmpty == false ? .milliseconds(500) : nil
        while !Task.isCancelled {
            let asked = await reloads.wait(upTo: retry ?? .seconds(3600))
            guard !Task.isCancelled else { return }
            if !asked && retry == nil { continue }  // nobody asked, nothing to retry
            try? await Task.sleep(for: .milliseconds(50))
            guard !Task.isCancelled, !worker.isStopping else { return }
            let next = min((retry ?? .milliseconds(500)) * 2, .seconds(60))
            let lost = await reload(worker: worker, watcher: watcher, retryingUntil: asked ? nil : next)
            retry = lost ? next : nil
        }
    }

    /// Loads the configuration file anew and starts the next generation from it; when the file
    /// is refused, restarts the fork servers that died with the configuration in effect. Returns
    /// true when a configured topic is still not served. `retryingUntil` is given when nobody asked
    /// for this reload (it retries unserved topics): a topic still refused is then one warning,
    /// saying when the next try is, rather than a reload's lines.
    private func reload(worker: JobPipeline, watcher: FileWatcher?, retryingUntil nextRetry: Duration? = nil) async -> Bool {
        guard let previous = executor.generation else { return false }
        var configuration = previous.configuration
        var refused: String?
        do {
            let loaded = try Configuration.load(path: configPath)
            // Watch the new plugins before loading them, so that a change made meanwhile, or the
            // fix of a plugin this reload refuses, starts the next reload.
            watcher?.watch(previous.configuration.watchedFiles + loaded.watchedFiles)
            refused = loaded.hostProblem(trustingFiles: trustingFiles)
            if refused == nil { configuration = loaded }
        } catch {
            refused = "\(error)"
        }
        if let refused {
            refuse(refused, worker: worker, configuration: configuration)
            guard previous.servers.values.contains(where: { !$0.isRunning }) || !previous.unservedTopics.isEmpty else { return false }
        }
        let restartOnly = [
            ("store", configuration.store != previous.configuration.store),
            ("consumer", configuration.consumer != previous.configuration.consumer),
            ("log", configuration.log != previous.configuration.log),
            ("http", configuration.http != previous.configuration.http),
            ("retention", configuration.retention != previous.configuration.retention),
        ].filter(\.1).map { "\($0.0):" }
        if !restartOnly.isEmpty {
            logger.warning("changes to \(restartOnly.joined(separator: ", ")) take effect at the next restart; the rest is reloaded")
        }
        let number = generations.add(1, ordering: .relaxed).newValue
        let next: Generation
        do {
            next = try await Generation.start(number: number, configuration: configuration, previous: previous, progress: progress, logger: logger)
        } catch is CancellationError {
            return false  // the host is stopping
        } catch {
            refuse("\(error)", worker: worker, configuration: previous.configuration, warned: refused != nil)
            return false
        }
        _ = executor.install(next)
        if refused == nil {
            watcher?.watch(configuration.watchedFiles)
            worker.setSchedules(configuration.schedules)
        }
        worker.wake()
        let served = next.servers.keys.sorted().joined(separator: ", ")
        // A retry that changed nothing (the same topics still unserved) is not worth a reload's lines.
        let stillRefused = nextRetry != nil && refused == nil && next.unservedTopics == previous.unservedTopics
        if let refusals = next.refusalNote {
            if let nextRetry, stillRefused {
                logger.warning("still not served, next try in \(nextRetry.text): \(refusals)")
            } else {
                logger.error("reload refused for some topics; the others are reloaded: \(refusals)")
            }
            worker.setNote(
                Self.note([refused.map { "reload refused: \($0)" }, "reload refused for some topics: \(refusals)"], configuration: configuration))
        } else if refused == nil {
            worker.setNote(Self.note([], configuration: configuration))
        }
        if !stillRefused {
            if refused == nil, let warning = configuration.rootWarning { logger.warning("\(warning)") }
            if refused == nil { metrics?.reloaded(succeeded: next.refusals.isEmpty) }
            logger.info("reloaded: generation \(number) serves \(served)")
        }
        for server in previous.servers(droppedBy: next) { await server.retire() }
        return !next.unservedTopics.isEmpty
    }

    /// Where plugins' progress reports go: the pipeline, which keeps each running job's latest.
    private var progress: @Sendable (JobID, JobProgress) -> Void {
        { [weak self] id, progress in self?.pipeline.withLock { $0 }?.reportProgress(progress, of: id) }
    }

    /// A refused reload: logs why, and the root warning of the `configuration` still in effect
    /// (unless this reload `warned` already), which the note keeps beside the reason.
    private func refuse(_ reason: String, worker: JobPipeline, configuration: Configuration, warned: Bool = false) {
        logger.error("reload refused; the previous plugins keep serving: \(reason)")
        if !warned, let warning = configuration.rootWarning { logger.warning("\(warning)") }
        worker.setNote(Self.note(["reload refused: \(reason)"], configuration: configuration))
        metrics?.reloaded(succeeded: false)
    }

    /// The host's note (`status`, the dashboard): what was refused, then the root warning of the
    /// `configuration` in effect, which no refusal hides; nil when there is neither.
    private static func note(_ refusals: [String?], configuration: Configuration) -> String? {
        let parts = (refusals + [configuration.rootWarning]).compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
