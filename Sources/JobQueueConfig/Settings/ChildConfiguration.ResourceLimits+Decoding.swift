extension ChildConfiguration.ResourceLimits {
    enum ConfigKey: String, CaseIterable {
        case addressSpace = "address_space"
        case cpuTime = "cpu_time"
        case openFiles = "open_files"
    }

    /// Reads `children.limits:`, where `none` lifts a limit.
    init(reading section: ConfigSection) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        if let value = section[Key.addressSpace] {
            addressSpace = try value.byteCountOrNone(.atLeast(16 << 20))
        }
        if let value = section[Key.cpuTime] {
            cpuTime = try value.durationOrNone(.atLeast(.seconds(1)))
            // RLIMIT_CPU counts whole seconds; refuse rather than round.
            if let cpuTime, cpuTime.milliseconds % 1000 != 0 {
                throw value.error("\(value.field) must be whole seconds, got \(cpuTime.text)")
            }
        }
        if let value = section[Key.openFiles] {
            openFiles = try value.integerOrNone(.between(16, 1_048_576))
        }
    }
}
