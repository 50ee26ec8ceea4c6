/// Whether the fork server loaded one plugin, and if not, why (one line).
public struct PluginLoadResult: Sendable, Equatable, CustomStringConvertible {
    public var topic: String
    /// Nil when the plugin is loaded and initialised.
    public var failure: String?
    /// Something the operator should know about a plugin that loaded (it was built against a
    /// newer minor ABI version than the host's).
    public var notice: String?

    public init(topic: String, failure: String? = nil, notice: String? = nil) {
        self.topic = topic
        self.failure = failure
        self.notice = notice
    }

    public var isLoaded: Bool { failure == nil }

    /// `email: ok` or `email: jq_init failed: …`.
    public var description: String { "\(topic): \(failure ?? "ok")" }
}
