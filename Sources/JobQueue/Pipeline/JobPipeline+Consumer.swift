import Foundation
import Logging
import Synchronization

extension JobPipeline {
    /// Takes batches from the manager and runs them until the manager says stop, telling the
    /// batch sizer how long each took.
    ///
    /// A batch's last settlements are still being committed while the consumer asks for and runs
    /// its next batch (at most one batch's settlements are outstanding per consumer), so that the
    /// commit's fsync overlaps useful work instead of stalling the consumer.
    func consume(_ requests: BatchRequests) async {
        var settling: Task<Void, Never>?
        while let batch = await requests.next() {
            batchesRunning.add(1, ordering: .acquiringAndReleasing)
            let started = ContinuousClock.now
            let (settlements, ran) = await execute(batch)
            let elapsed = ContinuousClock.now - started
            sizer.withLock { $0.record(batch[0].topic, jobs: ran, elapsed: elapsed) }
            await settling?.value
            settling = Task {
                await settlements.finish()
                self.batchesRunning.subtract(1, ordering: .acquiringAndReleasing)
                self.doorbell.ring()  // capacity freed: let a draining manager re-check
            }
        }
        await settling?.value
    }

    /// Runs one batch, settling each job as its outcome arrives and releasing the jobs that never
    /// ran. Returns how many jobs ran, with the last settlements possibly still being applied:
    /// `finish()` them.
    func execute(_ batch: [LeasedJob]) async -> (SettlementBuffer, ran: Int) {
        let byID = Dictionary(uniqueKeysWithValues: batch.map { ($0.id, $0) })
        let settlements = SettlementBuffer(hold: settings.settlementHold) { await self.apply($0) }
        let reported = Mutex<Set<JobID>>([])
        let policies = executor.policies

        let token = runningJobs.begin(batch)
        hostRecordChanged.ring()
        // Its own task, so that cancelling one of its jobs can stop it (see `watchForCancellations`).
        let run = Task {
            await executor.run(batch) { id, completion in
                guard let job = byID[id], reported.withLock({ $0.insert(id).inserted }) else { return }
                let duration = self.runningJobs.report(id, in: token)
                self.hostRecordChanged.ring()
                self.observer?.jobRan(job, completion, duration: duration)
                self.leases.remove(id)
                let settlement = self.settlement(for: job, completion, duration: duration, policies: policies, now: self.clock.now)
                self.log(job, completion.outcome)
                settlements.add(settlement)
            }
        }
        runningJobs.attach(token) { run.cancel() }
        cancellationCheck.ring()
        await withTaskCancellationHandler {
            await run.value
        } onCancel: {
            run.cancel()
        }

        let cancelled = runningJobs.end(token)
        hostRecordChanged.ring()
        let done = reported.withLock { $0 }
        for job in batch where !done.contains(job.id) {
            leases.remove(job.id)
            // A cancelled job is a dead letter already: nothing to settle.
            if !cancelled.contains(job.id) { settlements.add(Settlement(job: job.id, lease: job.lease, action: .release)) }
        }
        return (settlements, done.count)
    }

    private func apply(_ settlements: [Settlement]) async {
        do {
            let applied = try await store.settle(settlements)
            for (settlement, ok) in zip(settlements, applied) where !ok {
                logger.warning("lease lost before settling; another runner has the job", metadata: ["job_id": "\(settlement.job)"])
            }
        } catch {
            // The leases will expire and the jobs run again: at-least-once, never lost.
            logger.error("could not settle \(settlements.count) job(s): \(error)")
        }
    }

    private func log(_ job: LeasedJob, _ outcome: JobOutcome) {
        if case .ok = outcome, logger.logLevel > .debug { return }
        var metadata: Logger.Metadata = [
            "job_id": "\(job.id)", "queue_id": "\(job.queueID)", "topic": "\(job.topic)", "attempt": "\(job.attempt)",
        ]
        switch outcome {
        case let .ok(result):
            if let result, !result.isEmpty { metadata["result"] = "\(String(decoding: result.prefix(512), as: UTF8.self))" }
            logger.debug("job ok", metadata: metadata)
        case let .error(message):
            metadata["error"] = "\(message)"
            logger.warning(job.isLastAttempt ? "job failed; retries spent, dead-lettered" : "job failed; will retry", metadata: metadata)
        case let .snooze(delay):
            logger.debug("job snoozed for \(delay)", metadata: metadata)
        case let .discard(reason):
            metadata["reason"] = "\(reason)"
            logger.warning("job discarded", metadata: metadata)
        }
    }
}
