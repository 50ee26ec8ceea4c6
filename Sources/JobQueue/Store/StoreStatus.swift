/// A snapshot of what a store holds.
public struct StoreStatus: Sendable, Equatable, Codable {
    public var queues: [QueueCounts]
    public var hosts: [HostRecord]

    public init(queues: [QueueCounts], hosts: [HostRecord]) {
        self.queues = queues
        self.hosts = hosts
    }

    /// Topics at least one live host serves.
    public var servedTopics: Set<String> { Set(hosts.flatMap(\.topics)) }
}

/// Job counts of one queue and topic.
public struct QueueCounts: Sendable, Equatable, Codable {
    public var queueID: String
    public var topic: String
    /// Visible now, waiting for a consumer.
    public var ready: Int
    /// Visible later (delayed, or backing off before a retry).
    public var scheduled: Int
    /// Leased by a runner whose lease has not expired.
    public var running: Int
    /// In the dead-letter store.
    public var dead: Int

    public init(queueID: String, topic: String, ready: Int = 0, scheduled: Int = 0, running: Int = 0, dead: Int = 0) {
        self.queueID = queueID
        self.topic = topic
        self.ready = ready
        self.scheduled = scheduled
        self.running = running
        self.dead = dead
    }
}

/// A running host, as recorded by its heartbeat.
public struct HostRecord: Sendable, Equatable, Codable {
    public var id: String
    public var hostname: String
    public var pid: Int32
    public var topics: [String]
    public var startedAt: Timestamp
    public var seenAt: Timestamp
    /// A problem the host wants operators to see, e.g. why its last reload was refused.
    public var note: String?

    public init(id: String, hostname: String, pid: Int32, topics: [String], startedAt: Timestamp, seenAt: Timestamp, note: String? = nil) {
        self.id = id
        self.hostname = hostname
        self.pid = pid
        self.topics = topics
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.note = note
    }
}
