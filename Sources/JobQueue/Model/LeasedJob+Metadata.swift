extension LeasedJob {
    /// What a handler learns about its run besides the payload. (A plugin gets the same through
    /// the SDK's `JobMetadata`, which carries the id as a plain number, since the SDK depends on
    /// nothing of the engine.)
    public struct Metadata: Sendable, Equatable, Codable {
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

    /// The run's metadata, as handlers receive it.
    public var metadata: Metadata {
        Metadata(topic: topic, queueID: queueID, itemID: id, attempt: attempt)
    }
}
