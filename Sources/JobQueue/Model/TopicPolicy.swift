/// Per-topic defaults and limits.
public struct TopicPolicy: Sendable, Equatable {
    /// Priority of jobs enqueued without one. Lower runs first.
    public var priority: Int
    /// Retries after the first run for jobs enqueued without their own value.
    public var maxRetries: Int
    /// How long to wait before each retry.
    public var backoff: BackoffPolicy
    /// Longest a single run may take; the runner is stopped past it. Nil: no limit.
    public var timeout: Duration?
    /// How many of the topic's jobs may run, and start, at once across all hosts.
    public var limits: TopicLimits

    public init(
        priority: Int = 100, maxRetries: Int = 3, backoff: BackoffPolicy = .default, timeout: Duration? = .seconds(30), limits: TopicLimits = .none
    ) {
        self.priority = priority
        self.maxRetries = maxRetries
        self.backoff = backoff
        self.timeout = timeout
        self.limits = limits
    }

    /// Priority 100, 3 retries, the default backoff, a 30 s timeout, no limits.
    public static let `default` = TopicPolicy()
}
