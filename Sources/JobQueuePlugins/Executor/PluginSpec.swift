import JobQueue

/// One topic served by a plugin: which shared library, its configuration, and its policy.
public struct PluginSpec: Sendable, Equatable {
    /// The topic the plugin serves; jobs of this topic run through it.
    public var topic: String
    /// Path of the plugin's shared library (`lib<Name>.so`).
    public var path: String
    /// Handed to the plugin's `jq_init` as is; `"{}"` when there is no configuration.
    public var configJSON: String
    /// Defaults, retries and the per-job timeout of the topic.
    public var policy: TopicPolicy

    public init(topic: String, path: String, configJSON: String = "{}", policy: TopicPolicy = .default) {
        self.topic = topic
        self.path = path
        self.configJSON = configJSON
        self.policy = policy
    }
}
