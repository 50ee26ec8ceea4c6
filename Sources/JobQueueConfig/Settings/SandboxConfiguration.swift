/// A topic's `sandbox:`: what its plugin may reach, enforced by the kernel in the plugin's
/// process before the plugin is loaded (a network namespace and a system-call filter for the
/// network, Landlock for files). A topic without one still gets no new privileges.
public struct SandboxConfiguration: Sendable, Equatable {
    /// `network: false` takes every socket away; true (the default) leaves the network as is.
    public var network: Bool
    /// Absolute paths (files or folders) the plugin may write beneath; nil: writes are not
    /// confined. When given, everything else is read-only.
    public var writable: [String]?
    /// Absolute paths the plugin may read beneath (besides `writable`, its own file and the
    /// system's libraries); nil: reads are not confined.
    public var readable: [String]?
    /// The lowest Landlock ABI the topic accepts (`landlock_abi`): a kernel offering less
    /// refuses the topic rather than confine it less. 1 when not set.
    public var landlockABI: Int

    public init(network: Bool = true, writable: [String]? = nil, readable: [String]? = nil, landlockABI: Int = 1) {
        self.network = network
        self.writable = writable
        self.readable = readable
        self.landlockABI = landlockABI
    }
}
