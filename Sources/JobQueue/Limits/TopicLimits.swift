/// How much of one topic may run at once, counted over every host that shares the store: the
/// `max_running`, `max_running_per_queue` and `rate` keys of a topic in `config.yaml`.
///
/// Stores enforce them when work is taken (see ``TakeAllowance``): a topic or queue at its limit
/// is passed over by the scan rather than leased and released, and a host that crashed frees its
/// slots when its leases run out. A batch runs its jobs one after another in one child, so it
/// counts as one running job from its lease until its last job settles (see ``TakeAllowance``).
public struct TopicLimits: Sendable, Equatable {
    /// Jobs of the topic running at once, all hosts together. Nil: no limit.
    public var maxRunning: Int?
    /// Jobs of one queue (tenant) of the topic running at once, all hosts together. Nil: no limit.
    public var maxRunningPerQueue: Int?
    /// Jobs of the topic started per period, all hosts together. Nil: no limit.
    public var rate: RateLimit?

    public init(maxRunning: Int? = nil, maxRunningPerQueue: Int? = nil, rate: RateLimit? = nil) {
        self.maxRunning = maxRunning
        self.maxRunningPerQueue = maxRunningPerQueue
        self.rate = rate
    }

    /// No limit at all.
    public static let none = TopicLimits()

    /// True when no limit is set: the take costs nothing extra for such a topic.
    public var isEmpty: Bool { self == .none }

    /// `max_running 20, max_running_per_queue 2, rate 100/s` (the keys set), or `none`.
    public var text: String {
        let parts = [
            maxRunning.map { "max_running \($0)" }, maxRunningPerQueue.map { "max_running_per_queue \($0)" }, rate.map { "rate \($0)" },
        ].compactMap { $0 }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// True when the topic's running jobs are counted (`max_running` or `max_running_per_queue`).
    public var countsRunning: Bool { maxRunning != nil || maxRunningPerQueue != nil }

    /// True when a limit applies to the topic as a whole (not only per queue): the take reads the
    /// topic's usage (and, on a shared server, locks it) before scanning the topic.
    public var limitsTopic: Bool { maxRunning != nil || rate != nil }
}

/// At most `count` starts per `period`: `100/s`, `20/m`, `5000/h`.
///
/// The guarantee is exact: no window of length `period` sees more than `count` starts (the
/// take's time counts as a job's start). Stores keep the times of recent starts; to bound that,
/// a rate above ``maximumWindowCount`` per period is enforced as the equal or stricter rate of
/// ``window``, e.g. `100000/h` as `1000/36s`.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var period: Duration

    /// The most start times a store keeps per topic.
    public static let maximumWindowCount = 1000

    public init(count: Int, period: Duration) {
        precondition(count > 0 && period > .zero, "a rate needs a positive count and period")
        self.count = count
        self.period = period
    }

    /// Parses `COUNT/UNIT` with UNIT one of `s`, `m`, `h` (or `ms`, `d`), or `COUNT/DURATION`
    /// (`10/5s`); nil otherwise.
    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0,
            let period = Duration(text: String(parts[1])) ?? Duration(text: "1" + parts[1]), period > .zero
        else { return nil }
        self.init(count: count, period: period)
    }

    /// `100/s`, `10/5s`.
    public var description: String {
        let periodText = period.text
        let oneUnit = periodText.hasPrefix("1") && periodText.dropFirst().first?.isNumber == false
        return "\(count)/\(oneUnit ? String(periodText.dropFirst()) : periodText)"
    }

    /// What a store enforces: this rate, or, past ``maximumWindowCount`` starts per period, the
    /// period split in `k` parts (rounded up to whole milliseconds, so that `k` of them cover the
    /// period) with `count / k` starts each: never more in any period.
    public var window: (count: Int, period: Duration) {
        guard count > Self.maximumWindowCount else { return (count, period) }
        let parts = (count + Self.maximumWindowCount - 1) / Self.maximumWindowCount
        let milliseconds = period.milliseconds
        return (count / parts, .milliseconds((milliseconds + Int64(parts) - 1) / Int64(parts)))
    }
}
