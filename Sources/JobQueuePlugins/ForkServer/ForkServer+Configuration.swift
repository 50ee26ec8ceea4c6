import JobQueue

extension ForkServer {
    /// How to start a fork server and what its children may use.
    public struct Configuration: Sendable, Equatable {
        /// The `jobqueue-forkserver` executable. Nil: `$JOBQUEUE_FORKSERVER` if set, else the
        /// file of that name next to the running executable.
        public var executablePath: String?
        /// Resource limits of every batch's child.
        public var limits: ResourceLimits
        /// Keep the Swift runtime's crash backtraces on in children. Off by default: a backtrace
        /// is ~90 lines of stderr and 5–10 ms per crash.
        public var swiftBacktraces: Bool
        /// The user the fork server switches to before loading any plugin (the host must run as
        /// root). Nil: it keeps the host's user.
        public var runAs: UserIdentity?
        /// How long loading one plugin (`dlopen` and its `jq_init`) may take; past it the fork
        /// server is killed and the plugin refused. Nil: no limit.
        public var initTimeout: Duration?
        /// What the fork server and its children may reach. Nil: all its user may (still with
        /// no new privileges).
        public var sandbox: PluginSandbox?

        public init(
            executablePath: String? = nil, limits: ResourceLimits = .unlimited, swiftBacktraces: Bool = false, runAs: UserIdentity? = nil,
            initTimeout: Duration? = .seconds(10), sandbox: PluginSandbox? = nil
        ) {
            self.sandbox = sandbox
            self.executablePath = executablePath
            self.limits = limits
            self.swiftBacktraces = swiftBacktraces
            self.runAs = runAs
            self.initTimeout = initTimeout
        }
    }

    /// A user and group to run plugins as.
    public struct UserIdentity: Sendable, Equatable {
        public var uid: UInt32
        public var gid: UInt32

        public init(uid: UInt32, gid: UInt32) {
            self.uid = uid
            self.gid = gid
        }
    }

    /// rlimits applied in every batch's child; 0 leaves a limit as the fork server has it. Core
    /// dumps are always off.
    public struct ResourceLimits: Sendable, Equatable {
        /// RLIMIT_AS: virtual memory. Note that the Swift runtime alone reserves a few hundred MB.
        public var addressSpaceBytes: UInt64
        /// RLIMIT_CPU: CPU seconds for the whole batch; past it the child gets SIGXCPU.
        public var cpuSeconds: UInt64
        /// RLIMIT_NOFILE: open file descriptors.
        public var openFiles: UInt64

        public init(addressSpaceBytes: UInt64 = 0, cpuSeconds: UInt64 = 0, openFiles: UInt64 = 0) {
            self.addressSpaceBytes = addressSpaceBytes
            self.cpuSeconds = cpuSeconds
            self.openFiles = openFiles
        }

        public static let unlimited = ResourceLimits()
    }
}
