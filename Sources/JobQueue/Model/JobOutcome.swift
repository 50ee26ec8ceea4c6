/// What a worker says about one run.
public enum JobOutcome: Sendable, Equatable {
    /// Done; the job is removed. An optional result is logged.
    case ok(result: [UInt8]? = nil)
    /// Failed; retried after backoff, or dead-lettered once retries are spent.
    case error(String)
    /// Run again after the delay; counts as an attempt but never dead-letters.
    case snooze(Duration)
    /// Give up now; kept in the dead-letter store marked "discarded".
    case discard(String)
}

/// A finished run as the executor reports it: the outcome plus the jobs the run asked to enqueue,
/// which are stored if and only if the completion is.
public struct JobCompletion: Sendable, Equatable {
    /// How the run ended.
    public var outcome: JobOutcome
    /// Jobs the run asked to enqueue, kept only when `outcome` is ``JobOutcome/ok(result:)``.
    public var followUps: [NewJob]
    /// Set when the runner, not the worker, ended the run: the process running it died, or it
    /// ran past its timeout. `outcome` is then the ``JobOutcome/error(_:)`` that says so.
    public var interruption: Interruption?

    /// How a run can end without the worker saying how.
    public enum Interruption: String, Sendable, Equatable {
        /// The process running the job died (a crash, a signal, `exit()`).
        case crashed
        /// The job ran past its timeout and was killed.
        case timedOut = "timed_out"
    }

    /// A completion with `outcome` and the run's follow-up jobs.
    public init(_ outcome: JobOutcome, followUps: [NewJob] = [], interruption: Interruption? = nil) {
        self.outcome = outcome
        self.followUps = followUps
        self.interruption = interruption
    }
}

extension JobCompletion {
    /// The outcome as a job's history and the metrics name it: the worker's, or `crashed` /
    /// `timed_out` when the runner ended the run.
    public var attemptOutcome: JobAttempt.Outcome {
        if let interruption {
            switch interruption {
            case .crashed: return .crashed
            case .timedOut: return .timedOut
            }
        }
        switch outcome {
        case .ok: return .ok
        case .error: return .error
        case .snooze: return .snooze
        case .discard: return .discard
        }
    }

    /// The error or discard reason, if the run failed or gave up.
    public var errorText: String? {
        switch outcome {
        case .ok, .snooze: nil
        case let .error(message): message
        case let .discard(reason): reason
        }
    }
}
