/// A job that will not run again unless an operator retries it.
public struct DeadLetter: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Its retries were spent.
        case failed
        /// Its worker said it can never succeed.
        case discarded
    }

    public var id: JobID
    public var queueID: String
    public var topic: String
    public var payload: [UInt8]
    public var priority: Int
    public var maxRetries: Int
    /// Runs made before it died.
    public var attempts: Int
    public var kind: Kind
    public var reason: String
    public var createdAt: Timestamp
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
/// queue and topic filters.
public struct DeadLetterSelector: Sendable, Equatable {
    public var ids: [JobID]?
    public var queueID: String?
    public var topic: String?

    public init(ids: [JobID]? = nil, queueID: String? = nil, topic: String? = nil) {
        self.ids = ids
        self.queueID = queueID
        self.topic = topic
    }

    public static let all = DeadLetterSelector()
}
