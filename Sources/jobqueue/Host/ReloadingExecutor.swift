import JobQueue
import Synchronization

/// The executor the pipeline sees: it forwards each batch to the current generation, so a reload
/// switches new batches to new plugins while running batches finish on the old ones.
final class ReloadingExecutor: JobExecutor {
    private let current = Mutex<Generation?>(nil)

    var generation: Generation? { current.withLock { $0 } }

    /// Installs `generation` and returns the one it replaces.
    func install(_ generation: Generation) -> Generation? {
        current.withLock { current in
            defer { current = generation }
            return current
        }
    }

    var topics: [String: TopicPolicy] { generation?.executor.topics ?? [:] }

    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        guard let generation else { return }
        await generation.run(batch, report: report)
    }
}
