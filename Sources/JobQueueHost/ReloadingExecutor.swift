import JobQueue
import Synchronization

/// The executor the pipeline sees: it forwards each batch to its topic's server in the current
/// generation, so a reload switches new batches to new plugins while running batches finish on
/// the old ones.
///
/// If a topic's fork server dies (killed, or crashed by a plugin's `jq_init` state), its batches
/// go back to the queue and `onServerLost` asks for a new generation, which restarts that topic.
final class ReloadingExecutor: JobExecutor {
    private let current = Mutex<Generation?>(nil)
    private let onServerLost: @Sendable (String) -> Void

    init(onServerLost: @escaping @Sendable (String) -> Void) {
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

    var policies: TopicPolicies { generation?.policies ?? TopicPolicies() }

    var servingGeneration: Int { generation?.number ?? 0 }

    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        guard let topic = batch.first?.topic else { return }
        // A server retired by a reload between reading the generation and starting the batch
        // refuses it: the next generation's server takes it.
        for _ in 0..<3 {
            guard let generation, let server = generation.servers[topic] else { return }
            if server.isRunning, await server.run(batch, report: report) { return }
            if !server.isRunning && generation === self.generation {
                onServerLost(topic)
                try? await Task.sleep(for: .milliseconds(50))  // don't spin on lease/release until it is back
                return
            }
        }
    }
}
