import Synchronization

/// Which job each batch in the executor's hands is running now: a batch runs its jobs in order,
/// so it is the first one not yet reported. What a host publishes as its running jobs, apart
/// from the jobs it has leased that wait in a batch; and since when, so that a report tells how
/// long its job ran. It also stops the batches holding cancelled jobs, at once: a child runs its
/// batch by itself, so waiting for a cancelled job's turn could let it start.
final class RunningJobs: Sendable {
    private struct Batch {
        let ids: [JobID]
        let queues: [QueueKey]
        var reported: Set<JobID> = []
        var next = 0
        /// When the running job began: when the batch began, or the job before it ended.
        var since = ContinuousClock.now
        /// Stops the batch (see `attach`).
        var stop: (@Sendable () -> Void)?
        /// Its jobs cancelled while it ran.
        var cancelled: Set<JobID> = []
        /// The latest progress its running job reported.
        var progress: (job: JobID, JobProgress)?

        /// Records `id`'s end; returns how long it ran.
        mutating func report(_ id: JobID) -> Duration {
            let now = ContinuousClock.now
            defer { since = now }
            reported.insert(id)
            if progress?.job == id { progress = nil }
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

    /// Gives the batch `token` the way to stop it; stops it at once if one of its jobs was
    /// cancelled before.
    func attach(_ token: Int, stop: @escaping @Sendable () -> Void) {
        let stopNow = state.withLock { state in
            state.batches[token]?.stop = stop
            return !(state.batches[token]?.cancelled.isEmpty ?? true)
        }
        if stopNow { stop() }
    }

    /// The jobs of running batches not yet finished.
    var unfinished: [JobID] {
        state.withLock { state in
            state.batches.values.flatMap { batch in batch.ids.filter { !batch.reported.contains($0) } }
        }
    }

    /// Marks the unfinished jobs among `ids` cancelled and stops the batches holding them; returns
    /// those jobs.
    func stop(holding ids: Set<JobID>) -> [JobID] {
        let (found, stops) = state.withLock { state in
            var found: [JobID] = []
            var stops: [@Sendable () -> Void] = []
            for (token, batch) in state.batches {
                let hit = batch.ids.filter { ids.contains($0) && !batch.reported.contains($0) && !batch.cancelled.contains($0) }
                if hit.isEmpty { continue }
                found += hit
                state.batches[token]!.cancelled.formUnion(hit)
                if let stop = batch.stop { stops.append(stop) }
            }
            return (found, stops)
        }
        for stop in stops { stop() }
        return found
    }

    /// Records the completion of job `id` of the batch `token`; returns how long it ran.
    @discardableResult
    func report(_ id: JobID, in token: Int) -> Duration {
        state.withLock { $0.batches[token]?.report(id) } ?? .zero
    }

    /// Records that the batch `token` is over, whatever it did not run; returns its jobs that
    /// were cancelled.
    @discardableResult
    func end(_ token: Int) -> Set<JobID> {
        state.withLock { $0.batches.removeValue(forKey: token)?.cancelled } ?? []
    }

    /// Keeps `progress` as the latest of job `id`, if it is running; false if it is not.
    func setProgress(_ progress: JobProgress, of id: JobID) -> Bool {
        state.withLock { state in
            guard let token = state.batches.first(where: { $0.value.next < $0.value.ids.count && $0.value.ids[$0.value.next] == id })?.key
            else { return false }
            state.batches[token]!.progress = (id, progress)
            return true
        }
    }

    /// The latest progress of each running job that reported some.
    var progress: [RunningProgress] {
        state.withLock { state in
            state.batches.values.compactMap { batch in batch.progress.map { RunningProgress(job: $0.job, $0.1) } }.sorted { $0.job < $1.job }
        }
    }

    /// The queue of each job running now.
    var queues: [QueueKey] {
        state.withLock { state in
            state.batches.values.compactMap(\.running)
        }
    }
}
