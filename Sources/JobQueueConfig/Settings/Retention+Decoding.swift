import JobQueue

extension Retention {
    enum ConfigKey: String, CaseIterable {
        case completed, dead
    }

    /// Reads `retention:`. `dead: none` keeps dead letters until they are purged.
    init(reading section: ConfigSection) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        completed = try section[Key.completed]?.duration(.between(.zero, .seconds(3650 * 86_400))) ?? completed
        if let dead = section[Key.dead] {
            self.dead = try dead.durationOrNone(.between(.seconds(1), .seconds(3650 * 86_400)))
        }
    }
}
