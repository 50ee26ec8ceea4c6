/// What a worker learns about the run besides the payload.
public struct JobMetadata: Sendable, Equatable {
    /// The topic the plugin was loaded under.
    public var topic: String
    /// The tenant queue the job belongs to.
    public var queueID: String
    /// The job's id: unique in its store, never reused.
    public var itemID: UInt64
    /// Which run this is, 1-based.
    public var attempt: Int

    /// Metadata as the SDK builds it from the `jq_job` the host hands to `jq_perform`.
    public init(topic: String, queueID: String, itemID: UInt64, attempt: Int) {
        self.topic = topic
        self.queueID = queueID
        self.itemID = itemID
        self.attempt = attempt
    }
}
