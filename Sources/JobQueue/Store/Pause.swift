/// A paused topic, or one paused queue of a topic: no host starts its jobs until it is resumed.
/// Jobs can still be enqueued, and running ones finish.
public struct Pause: Sendable, Equatable, Codable {
    public var topic: String
    /// The paused queue; nil when the whole topic is paused.
    public var queueID: String?
    /// When it was paused.
    public var pausedAt: Timestamp

    public init(topic: String, queueID: String? = nil, pausedAt: Timestamp) {
        self.topic = topic
        self.queueID = queueID
        self.pausedAt = pausedAt
    }

    /// How stores record "the whole topic" in their `queue_id` column.
    public static let wholeTopic = ""
}
