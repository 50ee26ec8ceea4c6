/// A topic or queue whose ready jobs wait because a limit is reached: what `jobqueue status`
/// shows, so that an operator can tell a held-back queue from a stuck one.
public struct LimitHold: Sendable, Equatable, Codable {
    /// Which limit holds the jobs back.
    public enum Limit: String, Sendable, Codable {
        case maxRunning = "max_running"
        case maxRunningPerQueue = "max_running_per_queue"
        case rate
    }

    public var topic: String
    /// The queue held back, for `max_running_per_queue`; nil when the whole topic is.
    public var queueID: String?
    public var limit: Limit
    /// The limit as configured: `20`, `100/s`.
    public var value: String
    /// Jobs running now (for `rate`: starts in the window that ends now).
    public var running: Int
    /// Ready jobs waiting.
    public var ready: Int

    public init(topic: String, queueID: String? = nil, limit: Limit, value: String, running: Int, ready: Int) {
        self.topic = topic
        self.queueID = queueID
        self.limit = limit
        self.value = value
        self.running = running
        self.ready = ready
    }
}

extension StoreStatus {
    /// The topics and queues with ready jobs that `limits` hold back at `now`, by topic then
    /// queue. Running jobs are those the live hosts report running (a batch runs one job at a
    /// time, and counts once for the take).
    public func holds(_ limits: [String: TopicLimits], now: Timestamp) -> [LimitHold] {
        var holds: [LimitHold] = []
        let running = runningByQueue
        for (topic, topicLimits) in limits.sorted(by: { $0.key < $1.key }) where !topicLimits.isEmpty {
            let queues = queues.filter { $0.topic == topic }
            let ready = queues.map(\.ready).reduce(0, +)
            guard ready > 0 else { continue }
            let usage = TopicUsage(
                running: running.filter { $0.key.topic == topic }.values.reduce(0, +), starts: rateWindows[topic] ?? [])
            if let maxRunning = topicLimits.maxRunning, TopicLimits(maxRunning: maxRunning).allowance(usage, now: now) == 0 {
                holds.append(LimitHold(topic: topic, limit: .maxRunning, value: "\(maxRunning)", running: usage.running, ready: ready))
            }
            if let rate = topicLimits.rate, TopicLimits(rate: rate).allowance(usage, now: now) == 0 {
                let window = RateWindow(usage.starts, rate: rate)
                let enforced = RateLimit(count: window.count, period: window.period)
                holds.append(
                    LimitHold(
                        topic: topic, limit: .rate, value: enforced == rate ? "\(rate)" : "\(rate) (as \(enforced))",
                        running: window.started(at: now), ready: ready))
            }
            if let perQueue = topicLimits.maxRunningPerQueue {
                for queue in queues.sorted(by: { $0.queueID < $1.queueID }) where queue.ready > 0 {
                    let count = running[QueueKey(queueID: queue.queueID, topic: topic)] ?? 0
                    guard count >= perQueue else { continue }
                    holds.append(
                        LimitHold(
                            topic: topic, queueID: queue.queueID, limit: .maxRunningPerQueue, value: "\(perQueue)", running: count,
                            ready: queue.ready))
                }
            }
        }
        return holds
    }
}
