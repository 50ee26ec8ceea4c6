/// A job a plugin asked to enqueue from a run (`ctx->enqueue`).
public struct FollowUp: Sendable, Equatable {
    public var queueID: String
    public var topic: String
    public var payload: [UInt8]
    /// Nil: the topic's default.
    public var priority: Int?
    /// Delay from the completion until the job is visible; nil: at once.
    public var delayMilliseconds: UInt64?
    /// Nil: the topic's default.
    public var maxRetries: Int?
    /// See `NewJob.uniqueKey`; nil for none.
    public var uniqueKey: String?
    /// See `NewJob.uniqueFor`; nil for none.
    public var uniqueForMilliseconds: UInt64?

    public init(
        queueID: String, topic: String, payload: [UInt8],
        priority: Int? = nil, delayMilliseconds: UInt64? = nil, maxRetries: Int? = nil,
        uniqueKey: String? = nil, uniqueForMilliseconds: UInt64? = nil
    ) {
        self.uniqueKey = uniqueKey
        self.uniqueForMilliseconds = uniqueForMilliseconds
        self.queueID = queueID
        self.topic = topic
        self.payload = payload
        self.priority = priority
        self.delayMilliseconds = delayMilliseconds
        self.maxRetries = maxRetries
    }
}
