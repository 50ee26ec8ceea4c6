import JobQueue

extension TopicPolicy {
    /// The policy keys, shared by `defaults:` and each topic.
    enum ConfigKey: String, CaseIterable {
        case priority
        case maxRetries = "max_retries"
        case timeout, backoff
        case maxRunning = "max_running"
        case maxRunningPerQueue = "max_running_per_queue"
        case rate
    }

    /// Reads the policy keys of `section` (`defaults:` or a topic), taking each key the file
    /// leaves out from `inherited`; inside `backoff:` too, field by field.
    init(reading section: ConfigSection, inheriting inherited: TopicPolicy) throws(ConfigError) {
        typealias Key = ConfigKey
        self = inherited
        priority = try section[Key.priority]?.integer(.between(-1_000_000, 1_000_000)) ?? priority
        maxRetries = try section[Key.maxRetries]?.integer(.between(0, 1000)) ?? maxRetries
        if let value = section[Key.timeout] {
            timeout = try value.durationOrNone(.between(.milliseconds(1), .seconds(86_400)))
        }
        if let value = section[Key.maxRunning] { limits.maxRunning = try value.integerOrNone(.between(1, 1_000_000)) }
        if let value = section[Key.maxRunningPerQueue] { limits.maxRunningPerQueue = try value.integerOrNone(.between(1, 1_000_000)) }
        if let value = section[Key.rate] { limits.rate = try value.rateOrNone() }
        backoff = try BackoffPolicy(reading: section.section(Key.backoff, of: BackoffPolicy.ConfigKey.self), inheriting: inherited.backoff)
    }
}
