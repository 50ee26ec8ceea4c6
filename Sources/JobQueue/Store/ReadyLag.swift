/// How long ready queues have waited for a host to take from them, read from the pointer index
/// (see `JobStore.readyLag(now:queues:)`): the queue lag operators alert on, per topic and for
/// the tenants that wait longest.
///
/// A ready queue's wait runs from its pointer time: when its earliest job became visible, or when
/// a host last took from it, whichever is later. A queue hosts keep serving waits little however
/// long its backlog; one nobody serves waits ever longer.
public struct ReadyLag: Sendable, Equatable {
    /// One ready queue and how long it has waited.
    public struct QueueWait: Sendable, Equatable {
        public var queue: QueueKey
        public var wait: Duration

        public init(queue: QueueKey, wait: Duration) {
            self.queue = queue
            self.wait = wait
        }
    }

    /// Per topic that has a ready queue: how long its longest-waiting ready queue has waited.
    public var topics: [String: Duration]
    /// The ready queues that have waited longest, longest first.
    public var queues: [QueueWait]

    public init(topics: [String: Duration] = [:], queues: [QueueWait] = []) {
        self.topics = topics
        self.queues = queues
    }

    /// Builds the lag at `now` from each topic's ready pointers (queue and pointer time, earliest
    /// first, at most `limit` per topic): the shared arithmetic of every store.
    public init(now: Timestamp, readyPointers: [String: [(queueID: String, vestingAt: Timestamp)]], limit: Int) {
        var topics: [String: Duration] = [:]
        var queues: [QueueWait] = []
        for (topic, pointers) in readyPointers {
            guard let earliest = pointers.first else { continue }
            topics[topic] = max(now - earliest.vestingAt, .zero)
            queues += pointers.map { QueueWait(queue: QueueKey(queueID: $0.queueID, topic: topic), wait: max(now - $0.vestingAt, .zero)) }
        }
        queues.sort { ($0.wait, $1.queue.queueID, $1.queue.topic) > ($1.wait, $0.queue.queueID, $0.queue.topic) }
        self.init(topics: topics, queues: Array(queues.prefix(limit)))
    }
}
