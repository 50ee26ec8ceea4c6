import JobQueue

extension PluginOutcome {
    /// The completion the pipeline records for this outcome. Follow-up delays count from `now`.
    func completion(completedAt now: Timestamp) -> JobCompletion {
        let outcome: JobOutcome
        switch status {
        case .ok:
            outcome = .ok(result: result)
        case .error:
            outcome = .error(message.isEmpty ? "the plugin reported an error without a message" : message)
        case .snooze:
            outcome = .snooze(.milliseconds(Int64(clamping: snoozeMilliseconds)))
        case .discard:
            outcome = .discard(message.isEmpty ? "the plugin discarded the job without a reason" : message)
        }
        return JobCompletion(outcome, followUps: followUps.map { $0.newJob(completedAt: now) })
    }
}

extension FollowUp {
    /// The job to store; a delay becomes a visible-at time counted from `now`.
    func newJob(completedAt now: Timestamp) -> NewJob {
        NewJob(
            queueID: queueID, topic: topic, payload: payload, priority: priority,
            visibleAt: delayMilliseconds.map { now + .milliseconds(Int64(clamping: $0)) },
            maxRetries: maxRetries, uniqueKey: uniqueKey,
            uniqueFor: uniqueForMilliseconds.map { min(.milliseconds(Int64(clamping: $0)), NewJob.maxUniqueFor) }
        )
    }
}
