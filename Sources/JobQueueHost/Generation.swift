import JobQueue
import JobQueueConfig
import JobQueuePlugins
import Logging
import Synchronization

/// One fork-server generation: a configuration's plugins loaded in their own fork server. A
/// reload starts a new generation; the old one finishes the batches it is running, then exits.
final class Generation: Sendable {
    let number: Int
    let configuration: Configuration
    let executor: PluginExecutor
    private let state = Mutex<(running: Int, retired: Bool)>((0, false))

    init(number: Int, configuration: Configuration, executor: PluginExecutor) {
        self.number = number
        self.configuration = configuration
        self.executor = executor
    }

    /// Starts a generation for `configuration`. Fails, with every plugin's problem, if any plugin
    /// does not load: a generation serves all of its topics or none.
    static func start(number: Int, configuration: Configuration, logger: Logger) async throws -> Generation {
        let executor = try await PluginExecutor.start(
            plugins: configuration.pluginSpecs, defaults: configuration.defaults, configuration: configuration.forkServerConfiguration,
            logger: logger)
        return Generation(number: number, configuration: configuration, executor: executor)
    }

    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        state.withLock { $0.running += 1 }
        await executor.run(batch, report: report)
        let finished = state.withLock { state in
            state.running -= 1
            return state.retired && state.running == 0
        }
        if finished { await executor.shutdown() }
    }

    /// Takes no new batches from now on; the fork server exits once the running ones end.
    func retire() async {
        let idle = state.withLock { state in
            state.retired = true
            return state.running == 0
        }
        if idle { await executor.shutdown() }
    }
}
