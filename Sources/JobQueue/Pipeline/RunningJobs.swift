import Synchronization

/// Which job each batch in the executor's hands is running now: a batch runs its jobs in order,
/// so it is the first one not yet reported. What a host publishes as its running jobs, apart
/// from the jobs it has leased that wait in a batch; and since when, so that a report tells how
/// long its job ran.
final class RunningJobs: Sendable {
    private struct Batch {
        let ids: [JobID]
        let queues: [QueueKey]
        var reported: Set<JobID> = []
        var next = 0
        /// When the running job began: when the batch began, or the job before it ended.
        var since = ContinuousClock.now

        /// Records `id`'s end; returns how long it ran.
        mutating func report(_ id: JobID) -> Duration {
            let now = ContinuousClock.now
            defer { since = now }
            reported.insert(id)
            while next < ids.count && reported.contains(ids[next]) { next += 1 }
            return now - since
        }

        var running: QueueKey? { next < queues.count ? queues[next] : nil }
    }

    private let state = Mutex<(nextToken: Int, batches: [Int: Batch])>((0, [:]))

    /// Records that `jobs` began running, the first of them now; returns the token to report them by.
    func begin(_ jobs: [LeasedJob]) -> Int {
        state.withLock { state in
            state.nextToken += 1
            state.batches[state.nextToken] = Batch(ids: jobs.map(\.id), queues: jobs.map { QueueKey(queueID: $0.queueID, topic: $0.topic) })
            return state.nextToken
        }
    }

    /// Records the completion of job `id` of the batch `token`; returns how long it ran.
    @discardableResult
    func report(_ id: JobID, in token: Int) -> Duration {
        state.withLock { $0.batches[token]?.report(id) } ?? .zero
    }

    /// Records that the batch `token` is over, whatever it did not run.
    func end(_ token: Int) {
        _ = state.withLock { $0.batches.removeValue(forKey: token) }
    }

    /// The queue of each job running now.
    var queues: [QueueKey] {
        state.withLock { state in
            state.batches.values.compactMap(\.running)
        }
    }
}
