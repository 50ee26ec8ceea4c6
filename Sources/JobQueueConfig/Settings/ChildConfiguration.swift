/// The `children:` section: the forked processes that run plugin workers.
public struct ChildConfiguration: Sendable, Equatable {
    /// Whether a crashing child prints a backtrace. Default false.
    public var backtrace: Bool
    public var limits: ResourceLimits
    /// The user (name or numeric uid) plugins run as when the host runs as root. Nil: the host's.
    public var user: String?
    /// How long loading a plugin (its `jq_init` included) may take before it is refused.
    /// 100ms…1h, default 10s.
    public var initTimeout: Duration

    public init(backtrace: Bool = false, limits: ResourceLimits = ResourceLimits(), user: String? = nil, initTimeout: Duration = .seconds(10)) {
        self.backtrace = backtrace
        self.limits = limits
        self.user = user
        self.initTimeout = initTimeout
    }
}
