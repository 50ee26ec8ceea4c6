import JobQueue

/// The `store:` section: where the SQLite job store lives and how it writes.
public struct StoreConfiguration: Sendable, Equatable {
    /// The database file. The loader resolves a relative `path:` against the config file's
    /// folder, so this is absolute for a loaded configuration. Default `jobqueue.db`.
    public var path: String
    /// `full` (the default) survives power loss; `normal` only a crash of the process.
    public var sync: SyncMode
    /// How long a write waits for another process's transaction. 0…10m, default 5s.
    public var busyTimeout: Duration
    /// The largest job payload accepted, in bytes. 1 byte…256MiB, default 1MiB.
    public var maxPayload: Int

    public init(path: String = "jobqueue.db", sync: SyncMode = .full, busyTimeout: Duration = .seconds(5), maxPayload: Int = 1 << 20) {
        self.path = path
        self.sync = sync
        self.busyTimeout = busyTimeout
        self.maxPayload = maxPayload
    }
}
