import JobQueue

extension TopicConfiguration {
    /// The keys of a topic besides the policy keys of `TopicPolicy.ConfigKey`.
    enum ConfigKey: String, CaseIterable {
        case plugin, config, user, sandbox
    }

    /// Reads one entry of `topics:`: its name (the key) and its settings (null for none).
    ///
    /// Policy keys the topic leaves out come from `defaults`; `plugin` is resolved against
    /// `baseDirectory`; `config` may be any mapping and becomes JSON.
    init(name nameNode: YAMLNode, settings: ConfigValue, defaults: TopicPolicy, baseDirectory: String) throws(ConfigError) {
        let name = nameNode.scalarText ?? ""
        if let problem = Self.problem(withName: name) {
            throw ConfigError(file: settings.file, at: nameNode.mark, problem)
        }
        let allowedKeys = ConfigKey.allCases.map(\.rawValue) + TopicPolicy.ConfigKey.allCases.map(\.rawValue)
        let section = try ConfigSection(settings, allowedKeys: allowedKeys)

        var pluginConfigJSON = "{}"
        if let config = section[ConfigKey.config], !config.node.isNull {
            guard case .mapping = config.node.content else {
                throw config.typeError(expected: "a mapping of settings for the plugin")
            }
            pluginConfigJSON = config.node.json
        }
        self.init(
            name: name,
            plugin: try section[ConfigKey.plugin]?.text().resolvedPath(against: baseDirectory),
            policy: try TopicPolicy(reading: section, inheriting: defaults),
            pluginConfigJSON: pluginConfigJSON,
            user: try section[ConfigKey.user]?.text(),
            sandbox: try section[ConfigKey.sandbox].map { value throws(ConfigError) in
                try PluginSandbox(reading: value.section(of: PluginSandbox.ConfigKey.self), baseDirectory: baseDirectory)
            },
            mark: nameNode.mark
        )
    }

    /// Why `name` cannot name a topic, or nil when it can.
    static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a topic name must not be empty" }
        if name.utf8.count > 255 { return "topic name \(name.quotedForMessage()) is \(name.utf8.count) bytes long; the limit is 255" }
        if name.unicodeScalars.contains(where: { $0.isControl || $0.properties.isWhitespace }) {
            return "topic name \(name.quotedForMessage()) must not contain spaces or control characters"
        }
        return nil
    }
}
