/// The `children:` section: the forked processes that run plugin workers.
public struct ChildConfiguration: Sendable, Equatable {
    /// Whether a crashing child prints a backtrace. Default false.
    public var backtrace: Bool
    public var limits: ResourceLimits
    /// The user (name or numeric uid) plugins run as when the host runs as root. Nil: the host's.
    public var user: String?

    public init(backtrace: Bool = false, limits: ResourceLimits = ResourceLimits(), user: String? = nil) {
        self.backtrace = backtrace
        self.limits = limits
        self.user = user
    }
}
