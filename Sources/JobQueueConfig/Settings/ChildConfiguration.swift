/// The `children:` section: the forked processes that run plugin workers.
public struct ChildConfiguration: Sendable, Equatable {
    /// Whether a crashing child prints a backtrace. Default false.
    public var backtrace: Bool
    public var limits: ResourceLimits

    public init(backtrace: Bool = false, limits: ResourceLimits = ResourceLimits()) {
        self.backtrace = backtrace
        self.limits = limits
    }
}
