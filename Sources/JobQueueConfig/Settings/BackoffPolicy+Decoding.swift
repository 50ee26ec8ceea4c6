import JobQueue

extension BackoffPolicy {
    enum ConfigKey: String, CaseIterable {
        case base, max, jitter
    }

    /// Reads a `backoff:` mapping, taking each key it leaves out from `inherited`. The
    /// resulting `max` must not be below `base`; the error points at whichever of the two the
    /// mapping sets (`max` when it sets both).
    init(reading section: ConfigSection, inheriting inherited: BackoffPolicy) throws(ConfigError) {
        typealias Key = ConfigKey
        self = inherited
        let baseValue = section[Key.base]
        let maxValue = section[Key.max]
        base = try baseValue?.duration(.between(.milliseconds(1), .seconds(86_400))) ?? base
        max = try maxValue?.duration(.atLeast(.milliseconds(1))) ?? max
        jitter = try section[Key.jitter]?.number(.between(0, 1)) ?? jitter

        if max < base, let maxValue {
            throw maxValue.error("\(maxValue.field) must be at least the backoff base (\(base.text)), got \(max.text)")
        }
        if max < base, let baseValue {
            throw baseValue.error("\(baseValue.field) must be at most the backoff max (\(max.text)), got \(base.text)")
        }
    }
}
