/// A job to be stored: what `enqueue` takes.
public struct NewJob: Sendable, Equatable {
    /// The tenant: jobs of different queues are scheduled fairly against each other.
    public var queueID: String
    /// Routes the job to its worker.
    public var topic: String
    /// Opaque bytes handed to the worker; JSON by convention.
    public var payload: [UInt8]
    /// Lower runs first. Nil takes the topic's default (100 unless configured).
    public var priority: Int?
    /// When the job becomes visible. Nil means now.
    public var visibleAt: Timestamp?
    /// How many retries after the first run. Nil takes the topic's default (3 unless configured).
    public var maxRetries: Int?
    /// At most one live job per key and topic: while a job of this topic with this key is ready,
    /// scheduled or running, enqueueing another stores nothing and returns the existing job's id.
    /// Nil for none.
    public var uniqueKey: String?
    /// With `uniqueKey`: how long after this enqueue the key stays taken, whatever becomes of the
    /// job (finished or not). Nil: only while the job is live.
    public var uniqueFor: Duration?

    public init(
        queueID: String, topic: String, payload: [UInt8],
        priority: Int? = nil, visibleAt: Timestamp? = nil, maxRetries: Int? = nil,
        uniqueKey: String? = nil, uniqueFor: Duration? = nil
    ) {
        self.queueID = queueID
        self.topic = topic
        self.payload = payload
        self.priority = priority
        self.visibleAt = visibleAt
        self.maxRetries = maxRetries
        self.uniqueKey = uniqueKey
        self.uniqueFor = uniqueFor
    }

    /// Schedules with the library's rule: an absolute time (`at`) wins over a delay (`in`).
    public static func scheduled(at: Timestamp?, in delay: Duration?, now: Timestamp = .now) -> Timestamp? {
        if let at { return at }
        if let delay { return now + delay }
        return nil
    }
}

extension NewJob {
    /// The priority stored: the job's, else the library default (`JobClient` fills in the
    /// configured topic policy before a job gets here).
    public var storedPriority: Int { priority ?? TopicPolicy.default.priority }
    /// The retry limit stored: the job's, else the library default.
    public var storedMaxRetries: Int { maxRetries ?? TopicPolicy.default.maxRetries }
}
