extension ChildConfiguration {
    /// `children.limits`: the `setrlimit` limits applied to each child, so one runaway job cannot
    /// take the machine down with it. Nil means no limit (`none` in the file).
    public struct ResourceLimits: Sendable, Equatable {
        /// `RLIMIT_AS`, in bytes. At least 16MiB; default 4GiB.
        public var addressSpace: Int?
        /// `RLIMIT_CPU`, whole seconds. At least 1s; default 10m.
        public var cpuTime: Duration?
        /// `RLIMIT_NOFILE`. 16…1048576; default 256.
        public var openFiles: Int?

        public init(addressSpace: Int? = 4 << 30, cpuTime: Duration? = .seconds(600), openFiles: Int? = 256) {
            self.addressSpace = addressSpace
            self.cpuTime = cpuTime
            self.openFiles = openFiles
        }
    }
}
