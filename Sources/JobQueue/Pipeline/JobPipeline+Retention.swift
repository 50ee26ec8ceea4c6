extension JobPipeline {
    /// How often a host prunes what `retention` no longer keeps, and how many rows of each kind
    /// one transaction deletes at most (so that a backlog never holds the store for long).
    static let pruneInterval: Duration = .seconds(60)
    static let pruneBatch = 500

    /// Deletes completed jobs and dead letters older than ``ConsumerSettings/retention`` allows, at
    /// start and every ``pruneInterval``, in batches of ``pruneBatch``: off the job path, each
    /// batch its own short transaction. Every host does it; they only share the work.
    func pruneFinishedJobs() async {
        let retention = settings.retention
        while !Task.isCancelled {
            let now = clock.now.rawValue
            let completedBefore = Timestamp(rawValue: now - retention.completed.milliseconds)
            let deadBefore = retention.dead.map { Timestamp(rawValue: now - $0.milliseconds) }
            do {
                var pruned = 0
                var batch: Int
                repeat {
                    batch = try await store.prune(completedBefore: completedBefore, deadBefore: deadBefore, limit: Self.pruneBatch)
                    pruned += batch
                } while batch >= Self.pruneBatch && !Task.isCancelled
                if pruned > 0 { logger.debug("pruned \(pruned) finished job(s) past their retention") }
            } catch {
                logger.error("could not prune finished jobs: \(error)")
            }
            try? await clock.sleep(for: Self.pruneInterval)
        }
    }
}
