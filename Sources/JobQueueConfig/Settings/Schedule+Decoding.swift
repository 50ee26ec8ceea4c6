import Foundation
import JobQueue

extension Schedule {
    /// The keys of one entry of `schedules:`.
    enum ConfigKey: String, CaseIterable {
        case topic, queue, cron, every, timezone, payload, priority
        case maxRetries = "max_retries"
        case catchUp = "catch_up"
    }

    /// Reads one entry of `schedules:`: its name (the key) and its settings. `topic`, `queue` and
    /// one of `cron` or `every` are required; `timezone` goes with `cron` (default UTC); `payload`
    /// is any YAML and becomes JSON.
    init(name nameNode: YAMLNode, settings: ConfigValue) throws(ConfigError) {
        typealias Key = ConfigKey
        let name = nameNode.scalarText ?? ""
        if name.isEmpty || name.utf8.count > 255 || name.unicodeScalars.contains(where: \.isControl) {
            throw ConfigError(file: settings.file, at: nameNode.mark, "a schedule name must be 1 to 255 bytes without control characters")
        }
        let section = try settings.section(of: Key.self)
        func required(_ key: Key) throws(ConfigError) -> String {
            guard let value = section[key] else { throw settings.error("schedule \(name.quotedForMessage()) needs '\(key.rawValue):'") }
            let text = try value.text()
            if let problem = NewJob(queueID: text, topic: text, payload: []).validationError() {
                throw value.error("\(value.field): \(problem.replacingOccurrences(of: "queue id ", with: ""))")
            }
            return text
        }
        let topic = try required(.topic)
        let queue = try required(.queue)

        let trigger: Trigger
        switch (section[Key.cron], section[Key.every]) {
        case (nil, nil), (.some, .some):
            throw settings.error("schedule \(name.quotedForMessage()) needs one of 'cron:' or 'every:'")
        case let (cron?, nil):
            let expression: CronExpression
            do {
                expression = try CronExpression(try cron.text())
            } catch let error as CronError {
                throw cron.error("\(cron.field): \(error)")
            } catch {
                throw cron.error("\(cron.field): \(error)")
            }
            var timeZone = TimeZone(identifier: "UTC")!
            if let zone = section[Key.timezone] {
                let identifier = try zone.text()
                guard let found = TimeZone(identifier: identifier) else {
                    throw zone.error("\(zone.field): unknown time zone \(identifier.quotedForMessage()) (an IANA name like Europe/Berlin)")
                }
                timeZone = found
            }
            trigger = .cron(expression, timeZone)
        case let (nil, every?):
            if let zone = section[Key.timezone] { throw zone.error("\(zone.field) goes with cron:, not every:") }
            trigger = .every(try every.duration(.between(.seconds(1), .seconds(366 * 86_400))))
        }

        var payload = Array("{}".utf8)
        if let value = section[Key.payload], !value.node.isNull { payload = Array(value.node.json.utf8) }
        self.init(
            name: name, topic: topic, queueID: queue, trigger: trigger, payload: payload,
            priority: try section[Key.priority]?.integer(.between(-1_000_000, 1_000_000)),
            maxRetries: try section[Key.maxRetries]?.integer(.between(0, 1000)),
            catchUp: try section[Key.catchUp]?.choice(of: CatchUp.self) ?? .one)
    }
}
