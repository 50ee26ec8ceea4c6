import JobQueue

extension Configuration {
    /// The top-level sections of a config file.
    enum ConfigKey: String, CaseIterable {
        case store, consumer, defaults, children, log, http, retention, topics, schedules
    }

    /// Builds the configuration from a parsed document: nil (an empty file) or a null document
    /// means all defaults; anything but a mapping at the top is an error.
    init(document: YAMLNode?, file: String, baseDirectory: String, environment: [String: String]) throws(ConfigError) {
        let top = ConfigValue(node: document ?? YAMLNode(.scalar("", style: .plain), at: Mark(line: 1, column: 1)), field: "", file: file)
        let sections = try top.section(of: ConfigKey.self)
        let defaults = try TopicPolicy(reading: sections.section(ConfigKey.defaults, of: TopicPolicy.ConfigKey.self), inheriting: .default)

        var topics: [TopicConfiguration] = []
        if let topicsValue = sections[ConfigKey.topics] {
            for (name, settings) in try topicsValue.entries(expected: "a mapping from topic names to their settings") {
                let settingsValue = topicsValue.child(settings, key: name.scalarText ?? "")
                topics.append(try TopicConfiguration(name: name, settings: settingsValue, defaults: defaults, baseDirectory: baseDirectory))
            }
        }

        var schedules: [Schedule] = []
        if let schedulesValue = sections[ConfigKey.schedules] {
            for (name, settings) in try schedulesValue.entries(expected: "a mapping from schedule names to their settings") {
                schedules.append(try Schedule(name: name, settings: schedulesValue.child(settings, key: name.scalarText ?? "")))
            }
        }

        self.init(
            file: file,
            store: try StoreConfiguration(
                reading: sections.section(ConfigKey.store, of: StoreConfiguration.ConfigKey.self), baseDirectory: baseDirectory,
                environment: environment),
            consumer: try ConsumerSettings(reading: sections.section(ConfigKey.consumer, of: ConsumerSettings.ConfigKey.self)),
            defaults: defaults,
            children: try ChildConfiguration(reading: sections.section(ConfigKey.children, of: ChildConfiguration.ConfigKey.self)),
            log: try LogConfiguration(reading: sections.section(ConfigKey.log, of: LogConfiguration.ConfigKey.self)),
            http: sections[ConfigKey.http] == nil
                ? nil
                : try HTTPConfiguration(reading: sections.section(ConfigKey.http, of: HTTPConfiguration.ConfigKey.self), environment: environment),
            retention: try Retention(reading: sections.section(ConfigKey.retention, of: Retention.ConfigKey.self)),
            topics: topics,
            schedules: schedules
        )
    }
}
