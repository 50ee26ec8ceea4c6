/// What a store reads about a topic with topic-wide limits before it takes work of the topic:
/// the facts ``TopicLimits`` are checked against.
public struct TopicUsage: Sendable, Equatable {
    /// Batches holding jobs of the topic now (leases not run out): a batch runs its jobs one
    /// after another, so this bounds the jobs running at once (see ``TakeAllowance``).
    public var running: Int
    /// The earliest lease expiry among them: a slot frees then at the latest, should every
    /// host running the topic vanish.
    public var earliestExpiry: Timestamp?
    /// The topic's recorded starts (see ``RateWindow``).
    public var starts: [Timestamp]

    public init(running: Int = 0, earliestExpiry: Timestamp? = nil, starts: [Timestamp] = []) {
        self.running = running
        self.earliestExpiry = earliestExpiry
        self.starts = starts
    }
}

extension TopicLimits {
    /// How many more jobs of the topic may start at `now`, given `usage` (in batches that
    /// `max_running` still allows): `Int.max` when no topic-wide limit applies.
    public func allowance(_ usage: TopicUsage, now: Timestamp) -> Int {
        if let maxRunning, usage.running >= maxRunning { return 0 }
        return rate.map { RateWindow(usage.starts, rate: $0).allowance(at: now) } ?? .max
    }

    /// When a topic that has no allowance at `now` gets some back without a job settling (a
    /// settle wakes hosts by itself): when the rate window next slides, or when the earliest
    /// running lease runs out. Nil when the topic has allowance or nothing but a settle frees it.
    public func reopening(_ usage: TopicUsage, now: Timestamp) -> Timestamp? {
        guard allowance(usage, now: now) == 0 else { return nil }
        var times: [Timestamp] = []
        if let maxRunning, usage.running >= maxRunning, let expiry = usage.earliestExpiry { times.append(expiry) }
        if let rate, let opens = RateWindow(usage.starts, rate: rate).opening(at: now) { times.append(opens) }
        return times.max()
    }
}

/// The recent starts of a rate-limited topic, as a store keeps them: at most the rate's window
/// count, oldest first, each a take's time (never earlier than the last one recorded, so that
/// hosts whose clocks differ slightly cannot squeeze a start in before one already counted). A
/// window ending at `t` holds the starts in (`t - period`, `t`]: any half-open span of one period
/// sees at most `count` starts. Hosts' clocks are assumed to agree (NTP), as for leases: a host
/// whose clock runs ahead records starts in the others' future and holds the rate back that much.
public struct RateWindow: Sendable, Equatable {
    public private(set) var starts: [Timestamp]
    public let count: Int
    public let period: Duration

    public init(_ starts: [Timestamp], rate: RateLimit) {
        (count, period) = rate.window
        self.starts = starts.sorted()
    }

    /// The time a take at `now` counts as: `now`, or the last recorded start if that is later.
    private func effective(_ now: Timestamp) -> Timestamp { max(now, starts.last ?? now) }

    /// The starts inside the window that ends at `now` (included), oldest first.
    private func inWindow(at now: Timestamp) -> ArraySlice<Timestamp> {
        let end = effective(now)
        return starts.drop { $0 <= end - period }
    }

    /// How many starts the window that ends at `now` holds.
    public func started(at now: Timestamp) -> Int {
        inWindow(at: now).count
    }

    /// How many more starts the window allows at `now`.
    public func allowance(at now: Timestamp) -> Int {
        max(0, count - started(at: now))
    }

    /// When a full window first allows a start again; nil when it allows one at `now`.
    public func opening(at now: Timestamp) -> Timestamp? {
        let recent = inWindow(at: now)
        guard recent.count >= count else { return nil }
        return recent[recent.endIndex - count] + period
    }

    /// Records `started` starts at `now`, forgetting those that left the window.
    public mutating func record(_ started: Int, at now: Timestamp) {
        guard started > 0 else { return }
        let at = effective(now)
        starts = Array(inWindow(at: at)) + Array(repeating: at, count: started)
    }
}
