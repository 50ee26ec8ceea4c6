/// A job as `jobqueue jobs show` and the dashboard see it, wherever it is now: queued, leased,
/// dead, or kept after it completed.
public struct JobRecord: Sendable, Equatable {
    public var id: JobID
    public var queueID: String
    public var topic: String
    public var state: JobState
    public var payload: [UInt8]
    public var priority: Int
    public var maxRetries: Int
    /// Runs charged so far (for a leased job, the one running included).
    public var attempts: Int
    /// When it was first enqueued.
    public var createdAt: Timestamp
    /// Ready and scheduled jobs: when they may run; leased ones: when their lease runs out;
    /// dead and completed ones: when they died or completed.
    public var at: Timestamp
    /// The last error (a queued job that failed before), the dead letter's reason; nil otherwise.
    public var error: String?
    /// Dead letters: whether retries were spent, the job was discarded or cancelled.
    public var deadKind: DeadLetter.Kind?
    /// The latest runs, oldest first (at most ``StoreRules/historyLength``).
    public var history: [JobAttempt]

    public init(
        id: JobID, queueID: String, topic: String, state: JobState, payload: [UInt8], priority: Int, maxRetries: Int, attempts: Int,
        createdAt: Timestamp, at: Timestamp, error: String? = nil, deadKind: DeadLetter.Kind? = nil, history: [JobAttempt] = []
    ) {
        self.id = id
        self.queueID = queueID
        self.topic = topic
        self.state = state
        self.payload = payload
        self.priority = priority
        self.maxRetries = maxRetries
        self.attempts = attempts
        self.createdAt = createdAt
        self.at = at
        self.error = error
        self.deadKind = deadKind
        self.history = history
    }
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Queued and visible: it runs as soon as a host takes it.
    case ready
    /// Queued for later: a run_at in the future, or a retry waiting out its backoff.
    case scheduled
    /// Taken by a host under a lease (running, or about to).
    case leased
    /// A dead letter: it failed for good or was discarded.
    case dead
    /// Cancelled by an operator: kept with the dead letters (retried and pruned like them).
    case cancelled
    /// Done, and kept for `retention.completed`.
    case completed

    /// Where a store keeps jobs: queued ones (ready, scheduled, leased) with the live jobs, dead
    /// letters (cancelled jobs among them) apart, completed ones kept apart too.
    public enum Place: Sendable, CaseIterable {
        case queued, dead, completed
    }

    /// Where a store keeps jobs in this state.
    public var place: Place {
        switch self {
        case .ready, .scheduled, .leased: .queued
        case .dead, .cancelled: .dead
        case .completed: .completed
        }
    }

    /// The state of a dead letter of `kind`.
    public static func ofDeadLetter(_ kind: DeadLetter.Kind?) -> JobState {
        kind == .cancelled ? .cancelled : .dead
    }

    /// The state of a queued job (one in the jobs table) at `now`, from its visible time and lease.
    public static func ofQueuedJob(visibleAt: Timestamp, leaseExpiresAt: Timestamp?, now: Timestamp) -> JobState {
        if let leaseExpiresAt, leaseExpiresAt > now { return .leased }
        return visibleAt <= now ? .ready : .scheduled
    }
}

/// Which jobs `JobStore.jobs(matching:limit:now:)` lists.
public struct JobFilter: Sendable, Equatable {
    /// Only jobs in this state, when set.
    public var state: JobState?
    /// Only this queue, when set.
    public var queueID: String?
    /// Only this topic, when set.
    public var topic: String?

    public init(state: JobState? = nil, queueID: String? = nil, topic: String? = nil) {
        self.state = state
        self.queueID = queueID
        self.topic = topic
    }
}
