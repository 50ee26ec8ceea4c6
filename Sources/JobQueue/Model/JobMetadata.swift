/// What a worker learns about the run besides the payload.
public struct JobMetadata: Sendable, Equatable, Codable {
    public var topic: String
    public var queueID: String
    public var itemID: JobID
    /// 1-based: the first run is attempt 1.
    public var attempt: Int

    public init(topic: String, queueID: String, itemID: JobID, attempt: Int) {
        self.topic = topic
        self.queueID = queueID
        self.itemID = itemID
        self.attempt = attempt
    }
}
