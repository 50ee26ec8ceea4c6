/// What a topic's plugin may reach (a topic's `sandbox:`), enforced by the kernel in the plugin's
/// process before the plugin is loaded: a network namespace and a system-call filter for the
/// network, Landlock for files. Every plugin, sandboxed or not, gets no new privileges; one with
/// a sandbox also cannot reach into other processes, and as root has no capability. What the
/// kernel cannot enforce refuses the plugin: it never runs less confined than asked.
public struct PluginSandbox: Sendable, Equatable {
    /// False (`network: false`): a network namespace of its own and no socket at all. True (the
    /// default) leaves the network as is.
    public var network: Bool
    /// Absolute paths (files or folders) writes are confined to; nil: writes are not confined.
    /// When given, everything else is read-only.
    public var writable: [String]?
    /// Absolute paths reads are confined to, besides `writable`; nil: reads are not confined.
    public var readable: [String]?
    /// The lowest Landlock ABI accepted (`landlock_abi`): a kernel offering less refuses the
    /// topic rather than confine it less. 1 when not set.
    public var landlockABI: Int

    public init(network: Bool = true, writable: [String]? = nil, readable: [String]? = nil, landlockABI: Int = 1) {
        self.network = network
        self.writable = writable
        self.readable = readable
        self.landlockABI = landlockABI
    }
}
