/// The unit the scheduler works on: one tenant's jobs of one topic.
///
/// Ordering (priority, visible-at, enqueue order), the pointer index and queue leases are all per
/// `QueueKey`, so a host that does not serve a topic never sees that topic's queues at all.
public struct QueueKey: Hashable, Sendable, CustomStringConvertible, Codable {
    public var queueID: String
    public var topic: String

    public init(queueID: String, topic: String) {
        self.queueID = queueID
        self.topic = topic
    }

    public var description: String { "\(queueID)/\(topic)" }
}
