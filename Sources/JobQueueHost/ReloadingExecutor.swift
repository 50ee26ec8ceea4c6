import JobQueue
import Synchronization

/// The executor the pipeline sees: it forwards each batch to the current generation, so a reload
/// switches new batches to new plugins while running batches finish on the old ones.
///
/// If the current generation's fork server dies (killed, or crashed by a plugin's `jq_init`
/// state), batches go back to the queue and `onServerLost` asks for a new generation.
final class ReloadingExecutor: JobExecutor {
    private let current = Mutex<Generation?>(nil)
    private let onServerLost: @Sendable () -> Void

    init(onServerLost: @escaping @Sendable () -> Void) {
        self.onServerLost = onServerLost
    }

    var generation: Generation? { current.withLock { $0 } }

    /// Installs `generation` and returns the one it replaces.
    func install(_ generation: Generation) -> Generation? {
        current.withLock { current in
            defer { current = generation }
            return current
        }
    }

    var policies: TopicPolicies { generation?.executor.policies ?? TopicPolicies() }

    var servingGeneration: Int { generation?.number ?? 0 }

    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        guard let generation else { return }
        if generation.executor.server.isRunning {
            await generation.run(batch, report: report)
        }
        if !generation.executor.server.isRunning && generation === self.generation {
            onServerLost()
            try? await Task.sleep(for: .milliseconds(50))  // don't spin on lease/release until it is back
        }
    }
}
