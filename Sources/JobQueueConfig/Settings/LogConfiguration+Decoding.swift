extension LogConfiguration {
    enum ConfigKey: String, CaseIterable {
        case level, format
    }

    /// Reads `log:`.
    init(reading section: ConfigSection) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        level = try section[Key.level]?.choice(among: Self.levels) ?? level
        format = try section[Key.format]?.choice(of: Format.self) ?? format
    }
}
