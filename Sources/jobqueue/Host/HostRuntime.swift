import Foundation
import JobQueue
import JobQueueConfig
import Logging
import Synchronization

/// `jobqueue run`: the pipeline over the configured store, executing batches through plugin
/// generations, reloading when the configuration or a plugin file changes (or on SIGHUP), and
/// stopping gracefully on SIGTERM or SIGINT.
final class HostRuntime: Sendable {
    let configPath: String
    let initial: Configuration
    let drain: Bool
    /// Skip the ownership and permission checks of config and plugin files.
    let trustingFiles: Bool
    let logger: Logger

    private let reloads = Doorbell()
    private let executor: ReloadingExecutor
    private let generations = Atomic<Int>(0)

    init(configPath: String, configuration: Configuration, drain: Bool, trustingFiles: Bool, logger: Logger) {
        self.configPath = configPath
        self.initial = configuration
        self.drain = drain
        self.trustingFiles = trustingFiles
        self.logger = logger
        executor = ReloadingExecutor { [reloads, logger] in
            logger.error("the fork server died; starting a new generation")
            reloads.ring()
        }
    }

    /// Runs until stopped or drained.
    func run() async throws {
        let store = try await initial.store.open(logger: logger)
        let first = try await Generation.start(number: generations.add(1, ordering: .relaxed).newValue, configuration: initial, logger: logger)
        _ = executor.install(first)
        let worker = JobPipeline(store: store, executor: executor, settings: initial.consumerSettings(drain: drain), logger: logger)
        logger.info("serving \(first.configuration.topics.map(\.name).joined(separator: ", ")) from \(initial.store.location)")

        let signals = SignalEvents([
            SIGTERM: { worker.shutdown() },
            SIGINT: { worker.shutdown() },
            SIGHUP: { [reloads] in reloads.ring() },
        ])
        let watcher = FileWatcher { [reloads] _ in reloads.ring() }
        watcher?.watch(initial.watchedFiles)

        let reloading = Task { await reloadLoop(worker: worker, watcher: watcher) }
        await worker.run()
        reloading.cancel()
        await reloading.value
        watcher?.stop()
        signals.cancel()
        await executor.generation?.retire()
        await store.close()
        if let failure = worker.failure { throw HostFailure(underlying: failure) }
    }

    /// Waits for change signals; after a short quiet period (installers write in steps), reloads.
    private func reloadLoop(worker: JobPipeline, watcher: FileWatcher?) async {
        while !Task.isCancelled {
            await reloads.wait(upTo: .seconds(3600))
            guard !Task.isCancelled else { return }
            try? await Task.sleep(for: .milliseconds(50))
            guard !Task.isCancelled, !worker.isStopping else { return }
            await reload(worker: worker, watcher: watcher)
        }
    }

    private func reload(worker: JobPipeline, watcher: FileWatcher?) async {
        guard let previous = executor.generation else { return }
        let configuration: Configuration
        do {
            configuration = try Configuration.load(path: configPath)
            if let problem = configuration.hostProblem(trustingFiles: trustingFiles) { throw InputError(problem) }
        } catch {
            refuse("\(error)", worker: worker)
            return
        }
        if configuration.store != previous.configuration.store || configuration.consumer != previous.configuration.consumer {
            logger.warning("store: and consumer: changes take effect at the next restart")
        }
        let number = generations.add(1, ordering: .relaxed).newValue
        let next: Generation
        do {
            next = try await Generation.start(number: number, configuration: configuration, logger: logger)
        } catch {
            refuse("\(error)", worker: worker)
            return
        }
        let old = executor.install(next)
        watcher?.watch(configuration.watchedFiles)
        worker.setNote(nil)
        worker.wake()
        logger.info("reloaded: generation \(number) serves \(configuration.topics.map(\.name).joined(separator: ", "))")
        await old?.retire()
    }

    private func refuse(_ reason: String, worker: JobPipeline) {
        logger.error("reload refused; the previous plugins keep serving: \(reason)")
        worker.setNote("reload refused: \(reason)")
    }
}
