/// The limits of one take, as it goes: how many more batches each topic with `max_running` and
/// each queue with `max_running_per_queue` may start, how many more jobs each rate allows, and
/// which queues it found or left at their `max_running_per_queue`. Every store fills its batches
/// through it (see ``BatchFill``), so the rule lives in one place.
///
/// A batch's jobs run one after another in one child, so a batch counts once towards `max_running`
/// and `max_running_per_queue`, however many of the topic's or queue's jobs it holds: the count
/// bounds the jobs running at once, and a limit never leaves a consumer idle behind jobs waiting
/// in a batch. A rate counts each job.
///
/// A store opens each topic with topic-wide limits before it scans (``open(_:usage:now:)``; a
/// topic without allowance is left out of the scan), fills its batches through ``BatchFill``
/// (which begins each with ``startBatch()`` and tells the running batches of each queue limited
/// per queue as the store leases from it, ``setRunning(_:)``), then holds the pointers of
/// ``heldQueues`` until their earliest lease runs out, and saves ``rateWindows(now:)``.
public struct TakeAllowance: Sendable {
    public let limits: [String: TopicLimits]
    /// Batches each topic with `max_running` may still start.
    private var topicBatches: [String: Int] = [:]
    /// Batches each queue with `max_running_per_queue` may still join.
    private var queueBatches: [QueueKey: Int] = [:]
    /// Jobs each rate-limited topic may still start.
    private var rateRoom: [String: Int] = [:]
    /// What the batch being filled has been charged as already.
    private var batchTopics: Set<String> = []
    private var batchQueues: Set<QueueKey> = []
    private var windows: [String: RateWindow] = [:]
    private var started: [String: Int] = [:]
    /// Queues at their `max_running_per_queue` after the take (found so, or filled to it).
    public private(set) var heldQueues: Set<QueueKey> = []

    /// `limits` of the topics taken from; topics without any are left out (they cost nothing).
    public init(_ limits: [String: TopicLimits]) {
        self.limits = limits.filter { !$0.value.isEmpty }
    }

    /// The topics the store must read usage for before scanning.
    public var topicsLimited: [String] { limits.filter(\.value.limitsTopic).keys.sorted() }

    /// True when `queue`'s topic is limited per queue: the store reads its running batches.
    public func limitsPerQueue(_ queue: QueueKey) -> Bool { limits[queue.topic]?.maxRunningPerQueue != nil }

    /// Records the usage of a topic with topic-wide limits; false when it may start nothing now
    /// (the scan leaves it out).
    public mutating func open(_ topic: String, usage: TopicUsage, now: Timestamp) -> Bool {
        guard let topicLimits = limits[topic] else { return true }
        if let maxRunning = topicLimits.maxRunning { topicBatches[topic] = maxRunning - usage.running }
        if let rate = topicLimits.rate {
            let window = RateWindow(usage.starts, rate: rate)
            windows[topic] = window
            rateRoom[topic] = window.allowance(at: now)
        }
        return topicLimits.allowance(usage, now: now) > 0
    }

    /// Records how many batches hold jobs of each queue (of topics limited per queue) now.
    public mutating func setRunning(_ running: [QueueKey: Int]) {
        for (queue, count) in running {
            guard let limit = limits[queue.topic]?.maxRunningPerQueue else { continue }
            queueBatches[queue] = limit - count
            if count >= limit { heldQueues.insert(queue) }
        }
    }

    /// Begins the next batch: a topic or queue it draws from counts once more.
    public mutating func startBatch() {
        batchTopics = []
        batchQueues = []
    }

    /// How many jobs `queue` may add to the batch being filled, at most `room`.
    public func room(for queue: QueueKey, upTo room: Int) -> Int {
        if let left = queueBatches[queue], left <= 0, !batchQueues.contains(queue) { return 0 }
        return self.room(forTopic: queue.topic, upTo: room)
    }

    /// How many jobs of `topic` the batch being filled may still add, at most `room`.
    public func room(forTopic topic: String, upTo room: Int) -> Int {
        if let left = topicBatches[topic], left <= 0, !batchTopics.contains(topic) { return 0 }
        return min(room, rateRoom[topic] ?? .max)
    }

    /// Counts `count` jobs leased from `queue` into the batch being filled.
    public mutating func charge(_ queue: QueueKey, _ count: Int) {
        guard count > 0, limits[queue.topic] != nil else { return }
        if let room = rateRoom[queue.topic] { rateRoom[queue.topic] = room - count }
        if let left = topicBatches[queue.topic], batchTopics.insert(queue.topic).inserted { topicBatches[queue.topic] = left - 1 }
        if let left = queueBatches[queue], batchQueues.insert(queue).inserted {
            queueBatches[queue] = left - 1
            if left - 1 <= 0 { heldQueues.insert(queue) }
        }
        started[queue.topic, default: 0] += count
    }

    /// The rate windows that changed, with this take's starts recorded at `now`: the store saves
    /// them in the take's transaction.
    public func rateWindows(now: Timestamp) -> [String: [Timestamp]] {
        var changed: [String: [Timestamp]] = [:]
        for (topic, var window) in windows {
            guard let count = started[topic], count > 0 else { continue }
            window.record(count, at: now)
            changed[topic] = window.starts
        }
        return changed
    }
}
