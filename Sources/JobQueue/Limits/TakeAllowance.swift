/// The limits of one take, as it goes: how many more jobs each limited topic and queue may
/// start, and which queues it found or left at their `max_running_per_queue`. Every store fills
/// its batches through it (see ``BatchFill``), so the rule lives in one place.
///
/// A store opens each topic with topic-wide limits before it scans (``open(_:usage:now:)``; a
/// topic without allowance is left out of the scan), tells the running counts of the scanned
/// queues of topics limited per queue (``setRunning(_:)``), fills its batches, then holds the
/// pointers of ``heldQueues`` until their earliest lease runs out, and saves
/// ``rateWindows(now:)``.
public struct TakeAllowance: Sendable {
    public let limits: [String: TopicLimits]
    private var topicRoom: [String: Int] = [:]
    private var queueRoom: [QueueKey: Int] = [:]
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

    /// True when `queue`'s topic is limited per queue: the store reads its running count.
    public func limitsPerQueue(_ queue: QueueKey) -> Bool { limits[queue.topic]?.maxRunningPerQueue != nil }

    /// Records the usage of a topic with topic-wide limits; false when it may start nothing now
    /// (the scan leaves it out).
    public mutating func open(_ topic: String, usage: TopicUsage, now: Timestamp) -> Bool {
        guard let topicLimits = limits[topic] else { return true }
        let allowance = topicLimits.allowance(usage, now: now)
        topicRoom[topic] = allowance
        if let rate = topicLimits.rate { windows[topic] = RateWindow(usage.starts, rate: rate) }
        return allowance > 0
    }

    /// Records how many jobs of each queue (of topics limited per queue) run now.
    public mutating func setRunning(_ running: [QueueKey: Int]) {
        for (queue, count) in running {
            guard let limit = limits[queue.topic]?.maxRunningPerQueue else { continue }
            queueRoom[queue] = max(0, limit - count)
            if count >= limit { heldQueues.insert(queue) }
        }
    }

    /// How many jobs `queue` may add, at most `room`.
    public func room(for queue: QueueKey, upTo room: Int) -> Int {
        min(room, topicRoom[queue.topic] ?? .max, queueRoom[queue] ?? .max)
    }

    /// How many jobs of `topic` the take may still start, at most `room`.
    public func room(forTopic topic: String, upTo room: Int) -> Int {
        min(room, topicRoom[topic] ?? .max)
    }

    /// Counts `count` jobs leased from `queue`.
    public mutating func charge(_ queue: QueueKey, _ count: Int) {
        guard count > 0, limits[queue.topic] != nil else { return }
        if let room = topicRoom[queue.topic] { topicRoom[queue.topic] = room - count }
        if let room = queueRoom[queue] {
            queueRoom[queue] = room - count
            if room - count <= 0 { heldQueues.insert(queue) }
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
