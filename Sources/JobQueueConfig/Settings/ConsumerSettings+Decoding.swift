import JobQueue

extension ConsumerSettings {
    enum ConfigKey: String, CaseIterable {
        case concurrency
        case batchSize = "batch_size"
        case lease, poll, grace
        case scanWidth = "scan_width"
    }

    /// Reads `consumer:`.
    init(reading section: ConfigSection) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        concurrency = try section[Key.concurrency]?.integer(.between(1, 1024)) ?? concurrency
        batchSize = try section[Key.batchSize]?.integer(.between(1, 10_000)) ?? batchSize
        lease = try section[Key.lease]?.duration(.between(.milliseconds(10), .seconds(86_400))) ?? lease
        poll = try section[Key.poll]?.duration(.between(.milliseconds(1), .seconds(3600))) ?? poll
        grace = try section[Key.grace]?.duration(.between(.zero, .seconds(86_400))) ?? grace
        scanWidth = try section[Key.scanWidth]?.integer(.between(1, 1000)) ?? scanWidth
    }
}
