/// How many jobs one batch of a take may hold: `batchSize` in all (the configured upper bound),
/// and of each topic named in `perTopic` at most that many; and the topics' limits on running
/// jobs and starts (`topicLimits`, see ``TakeAllowance``), which the whole take keeps.
///
/// The pipeline sizes batches per topic by how long the topic's jobs run (see `BatchSizer`), so
/// that a take for four idle consumers leases four slow jobs, not forty: a job leased by a host
/// that cannot start it soon is a job other hosts and consumers cannot run.
public struct BatchLimits: Sendable, Equatable {
    public var batchSize: Int
    public var perTopic: [String: Int]
    /// The limits of the topics taken from; topics left out have none.
    public var topicLimits: [String: TopicLimits]

    public init(batchSize: Int, perTopic: [String: Int] = [:], topicLimits: [String: TopicLimits] = [:]) {
        self.batchSize = batchSize
        self.perTopic = perTopic
        self.topicLimits = topicLimits
    }

    /// The most jobs of `topic` one batch may hold.
    public func limit(for topic: String) -> Int {
        min(batchSize, perTopic[topic] ?? batchSize)
    }

    /// The most jobs one batch of the topics named in `perTopic` may hold (`batchSize` when none
    /// is named): what a take's group of queues is sized for (`ScanGroup`).
    public var largestBatch: Int {
        min(batchSize, perTopic.values.max() ?? batchSize)
    }
}

/// One batch being filled from several queues in turn: how many jobs the next queue may add.
/// Every store fills its batches through this, so the rule lives in one place.
///
/// A batch holds jobs of one topic: the topic of the first queue that gives it jobs. A child runs
/// one topic's plugin, so jobs of two topics in one batch would share no fork, and the second
/// topic's jobs would only wait behind the first's while other consumers may be idle.
public struct BatchFill: Sendable {
    public let limits: BatchLimits
    public private(set) var count = 0
    /// The batch's topic, once it holds a job.
    public private(set) var topic: String?

    public init(_ limits: BatchLimits) {
        self.limits = limits
    }

    /// How many more jobs `queue` may add (zero: skip it, leaving it untouched).
    public func room(for queue: QueueKey) -> Int {
        if let topic, topic != queue.topic { return 0 }
        return max(0, limits.limit(for: queue.topic) - count)
    }

    /// True when no queue can add a job any more.
    public var isFull: Bool {
        topic.map { count >= limits.limit(for: $0) } ?? false
    }

    public mutating func add(_ jobs: Int, of topic: String) {
        guard jobs > 0 else { return }
        count += jobs
        self.topic = topic
    }
}

extension BatchFill {
    /// One batch from `queues`, taken in that order within `limits` and what `allowance` has
    /// left: `lease(queue, room)` leases up to `room` jobs of a queue that has room; queues of
    /// another topic than the batch's, or without allowance, are skipped untouched, and filling
    /// stops once the batch is full.
    ///
    /// For a queue whose topic is limited per queue, `lease` also returns how many batches held
    /// the queue before it leased (the store counts them in its lease, under the lock that keeps
    /// other takes off the queue, and leases nothing when they reach the limit); nil otherwise.
    /// Only queues a batch reaches are counted.
    public static func batch(
        from queues: [QueueKey], limits: BatchLimits, allowance: inout TakeAllowance,
        lease: (QueueKey, Int) throws -> (jobs: [LeasedJob], runningBefore: Int?)
    ) rethrows -> [LeasedJob] {
        var fill = BatchFill(limits)
        var batch: [LeasedJob] = []
        allowance.startBatch()
        for queue in queues where !fill.isFull {
            let room = allowance.room(for: queue, upTo: fill.room(for: queue))
            if room == 0 { continue }
            let (leased, running) = try lease(queue, room)
            fill.add(leased, of: queue, running: running, allowance: &allowance)
            batch += leased
        }
        return batch
    }

    /// `batch(from:limits:allowance:lease:)` for a store whose statements are asynchronous.
    public static func batch(
        from queues: [QueueKey], limits: BatchLimits, allowance: inout TakeAllowance,
        lease: (QueueKey, Int) async throws -> (jobs: [LeasedJob], runningBefore: Int?)
    ) async rethrows -> [LeasedJob] {
        var fill = BatchFill(limits)
        var batch: [LeasedJob] = []
        allowance.startBatch()
        for queue in queues where !fill.isFull {
            let room = allowance.room(for: queue, upTo: fill.room(for: queue))
            if room == 0 { continue }
            let (leased, running) = try await lease(queue, room)
            fill.add(leased, of: queue, running: running, allowance: &allowance)
            batch += leased
        }
        return batch
    }

    /// Records what `queue` gave the batch, with the batches that held it before.
    private mutating func add(_ leased: [LeasedJob], of queue: QueueKey, running: Int?, allowance: inout TakeAllowance) {
        if let running { allowance.setRunning([queue: running]) }
        add(leased.count, of: queue.topic)
        allowance.charge(queue, leased.count)
    }
}
