import JobQueue

/// One entry of `topics:`: a topic this host serves, the plugin that runs its jobs and the
/// policy its jobs get.
public struct TopicConfiguration: Sendable, Equatable {
    /// The key under `topics:`: 1…255 bytes, no spaces or control characters.
    public var name: String
    /// The worker plugin (a shared library), absolute once loaded: a relative `plugin:` is
    /// resolved against the config file's folder. Nil when the topic names no plugin.
    public var plugin: String?
    /// The topic's own values, each missing one taken from `Configuration.defaults`.
    public var policy: TopicPolicy
    /// The topic's `config:` mapping as compact JSON, handed to the plugin as is; `{}` when
    /// absent. Plain YAML numbers, booleans and nulls become JSON ones, all else strings.
    public var pluginConfigJSON: String
    /// The user (name or numeric uid) this topic's plugin runs as when the host runs as root,
    /// instead of `children.user`. Nil: `children.user`'s.
    public var user: String?
    /// What the plugin may reach (`sandbox:`). Nil: the network and files as its user has them.
    public var sandbox: PluginSandbox?
    /// Where the topic's name stands in the file, for messages about the topic.
    public var mark: Mark

    public init(
        name: String, plugin: String? = nil, policy: TopicPolicy = .default, pluginConfigJSON: String = "{}", user: String? = nil,
        sandbox: PluginSandbox? = nil, mark: Mark = Mark(line: 1, column: 1)
    ) {
        self.user = user
        self.sandbox = sandbox
        self.name = name
        self.plugin = plugin
        self.policy = policy
        self.pluginConfigJSON = pluginConfigJSON
        self.mark = mark
    }
}
