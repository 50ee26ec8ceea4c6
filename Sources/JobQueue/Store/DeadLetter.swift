/// A job that will not run again unless an operator retries it.
public struct DeadLetter: Sendable, Equatable, Codable {
    /// Why a job became a dead letter.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Its retries were spent.
        case failed
        /// Its worker said it can never succeed.
        case discarded
        /// An operator cancelled it (`jobqueue jobs cancel`); running, its child was killed.
        case cancelled
    }

    public var id: JobID
    public var queueID: String
    public var topic: String
    public var payload: [UInt8]
    public var priority: Int
    public var maxRetries: Int
    /// Runs made before it died.
    public var attempts: Int
    /// Whether its retries were spent or it was discarded.
    public var kind: Kind
    /// The last error message, or the discard reason.
    public var reason: String
    /// When it was first enqueued.
    public var createdAt: Timestamp
    /// When it became a dead letter.
    public var diedAt: Timestamp

    public init(
        id: JobID, queueID: String, topic: String, payload: [UInt8], priority: Int, maxRetries: Int,
        attempts: Int, kind: Kind, reason: String, createdAt: Timestamp, diedAt: Timestamp
    ) {
        self.id = id
        self.queueID = queueID
        self.topic = topic
        self.payload = payload
        self.priority = priority
        self.maxRetries = maxRetries
        self.attempts = attempts
        self.kind = kind
        self.reason = reason
        self.createdAt = createdAt
        self.diedAt = diedAt
    }
}

/// Which dead letters an operation applies to: explicit ids, or everything matching the optional
/// queue, topic and text filters.
public struct DeadLetterSelector: Sendable, Equatable {
    /// Only these jobs, when set.
    public var ids: [JobID]?
    /// Only dead letters of this queue, when set.
    public var queueID: String?
    /// Only dead letters of this topic, when set.
    public var topic: String?
    /// Only dead letters whose queue, topic or reason contains this text (ignoring ASCII case),
    /// when set.
    public var search: String?
    /// Only dead letters of this kind, when set (e.g. only cancelled jobs).
    public var kind: DeadLetter.Kind?
    /// For listings: the latest dead letters first (and `limit` keeps the latest), instead of
    /// the oldest.
    public var newestFirst: Bool

    public init(
        ids: [JobID]? = nil, queueID: String? = nil, topic: String? = nil, search: String? = nil, kind: DeadLetter.Kind? = nil,
        newestFirst: Bool = false
    ) {
        self.kind = kind
        self.ids = ids
        self.queueID = queueID
        self.topic = topic
        self.search = search
        self.newestFirst = newestFirst
    }

    /// Every dead letter.
    public static let all = DeadLetterSelector()
}
