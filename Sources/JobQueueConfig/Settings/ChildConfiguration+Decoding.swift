extension ChildConfiguration {
    enum ConfigKey: String, CaseIterable {
        case backtrace, limits, user
        case initTimeout = "init_timeout"
    }

    /// Reads `children:`.
    init(reading section: ConfigSection) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        backtrace = try section[Key.backtrace]?.bool() ?? backtrace
        limits = try ResourceLimits(reading: section.section(Key.limits, of: ResourceLimits.ConfigKey.self))
        user = try section[Key.user]?.text()
        initTimeout = try section[Key.initTimeout]?.duration(.between(.milliseconds(100), .seconds(3600))) ?? initTimeout
    }
}
