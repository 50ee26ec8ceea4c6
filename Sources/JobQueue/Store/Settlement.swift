/// The decision about a finished (or abandoned) run, applied by `JobStore.settle`.
public struct Settlement: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Success: delete the job.
        case complete
        /// Success: move the job, with its history, among the completed jobs (kept for
        /// `retention.completed`).
        case keep
        /// Run again at the given time; `error` becomes the job's last error when present.
        case retry(at: Timestamp, error: String?)
        /// Move to the dead-letter store.
        case bury(DeadLetter.Kind, reason: String)
        /// Never ran (runner died first, or shutdown): make it visible again, attempt not charged.
        case release
    }

    public var job: JobID
    public var lease: LeaseToken
    public var action: Action
    /// Jobs to store in the same transaction, only if this settlement applies.
    public var followUps: [NewJob]
    /// The run, appended to the job's history when the job stays (retry), dies (bury) or is
    /// kept; nil when it never ran (release).
    public var record: JobAttempt?

    public init(job: JobID, lease: LeaseToken, action: Action, followUps: [NewJob] = [], record: JobAttempt? = nil) {
        self.job = job
        self.lease = lease
        self.action = action
        self.followUps = followUps
        self.record = record
    }
}
