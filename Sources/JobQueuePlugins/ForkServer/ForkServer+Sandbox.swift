extension ForkServer {
    /// What a fork server confines itself to before it loads any plugin, so that its children
    /// (every batch) and the plugin's `jq_init` run confined too. Every fork server also sets
    /// `PR_SET_NO_NEW_PRIVS`, with or without one of these. What the kernel cannot enforce
    /// fails the load: the plugin is refused, never run less confined than asked.
    public struct Sandbox: Sendable, Equatable {
        /// False: a network namespace of its own and no socket() at all.
        public var network: Bool
        /// Absolute paths writes are confined to (Landlock); nil: writes are not confined.
        public var writable: [String]?
        /// Absolute paths reads are confined to (Landlock), besides `writable`; nil: reads are
        /// not confined. Must include whatever loading the plugin reads.
        public var readable: [String]?
        /// The lowest Landlock ABI accepted.
        public var landlockABI: Int

        public init(network: Bool = true, writable: [String]? = nil, readable: [String]? = nil, landlockABI: Int = 1) {
            self.network = network
            self.writable = writable
            self.readable = readable
            self.landlockABI = landlockABI
        }

        /// The value of the fork server's `JOBQUEUE_SANDBOX`: one `word value` per line.
        var environmentValue: String {
            var lines = ["landlock \(landlockABI)"]
            if !network { lines.append("network off") }
            lines += (writable ?? []).map { "writable \($0)" }
            lines += (readable ?? []).map { "readable \($0)" }
            return lines.joined(separator: "\n")
        }
    }
}
