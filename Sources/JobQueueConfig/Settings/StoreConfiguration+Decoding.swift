import JobQueue

extension StoreConfiguration {
    enum ConfigKey: String, CaseIterable {
        case path, sync
        case busyTimeout = "busy_timeout"
        case maxPayload = "max_payload"
    }

    /// Reads `store:`; `path` (given or default) is resolved against `baseDirectory`.
    init(reading section: ConfigSection, baseDirectory: String) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        path = try section[Key.path]?.text() ?? path
        path = path.resolvedPath(against: baseDirectory)
        sync = try section[Key.sync]?.choice(of: SyncMode.self) ?? sync
        busyTimeout = try section[Key.busyTimeout]?.duration(.between(.zero, .seconds(600))) ?? busyTimeout
        maxPayload = try section[Key.maxPayload]?.byteCount(.between(1, 256 << 20)) ?? maxPayload
    }
}
