extension JobPipeline {
    /// Turns a run's outcome into what the store should do, applying the topic's retry policy and
    /// `retention.completed`, with the run's record for the job's history. Follow-up jobs are
    /// kept only when the run succeeded; their unset priority and retry limit come from their own
    /// topic's policy. A success asking for a follow-up no store would take (a name or unique key
    /// out of bounds) is a failed run instead, so that one bad plugin cannot make settling fail.
    func settlement(
        for job: LeasedJob, _ completion: JobCompletion, duration: Duration, policies: TopicPolicies, now: Timestamp
    ) -> Settlement {
        var completion = completion
        if case .ok = completion.outcome,
            let (index, problem) = completion.followUps.enumerated().lazy.compactMap({ index, job in job.validationError().map { (index, $0) } })
                .first
        {
            completion = JobCompletion(.error("follow-up \(index + 1) refused: \(problem)"))
        }
        let policy = policies[job.topic]
        let action: Settlement.Action
        var followUps: [NewJob] = []
        switch completion.outcome {
        case .ok:
            action = settings.retention.completed > .zero ? .keep : .complete
            followUps = completion.followUps.map { $0.withDefaults(from: policies[$0.topic]) }
        case let .error(message):
            action =
                job.isLastAttempt
                ? .bury(.failed, reason: message)
                : .retry(at: now + policy.backoff.delay(afterAttempt: job.attempt), error: message)
        case let .snooze(delay):
            action = .retry(at: now + delay, error: nil)
        case let .discard(reason):
            action = .bury(.discarded, reason: reason)
        }
        let record = JobAttempt(
            attempt: job.attempt, outcome: completion.attemptOutcome, error: completion.errorText, host: hostID, finishedAt: now,
            duration: duration)
        return Settlement(job: job.id, lease: job.lease, action: action, followUps: followUps, record: record)
    }
}

extension NewJob {
    /// The job with its unset priority and retry limit taken from `policy`.
    public func withDefaults(from policy: TopicPolicy) -> NewJob {
        var job = self
        job.priority = job.priority ?? policy.priority
        job.maxRetries = job.maxRetries ?? policy.maxRetries
        return job
    }
}
