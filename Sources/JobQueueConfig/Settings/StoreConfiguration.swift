import JobQueue
import JobQueuePostgres
import Logging

/// The `store:` section: which store holds the jobs and how it writes. A SQLite file by default;
/// PostgreSQL when `url:` (or `url_env:`) is set, for several hosts on one queue.
public struct StoreConfiguration: Sendable, Equatable {
    /// The SQLite database file. The loader resolves a relative `path:` against the config file's
    /// folder, so this is absolute for a loaded configuration. Default `jobqueue.db`.
    public var path: String
    /// `full` (the default) survives power loss; `normal` only a crash of the process.
    public var sync: SyncMode
    /// How long a write waits for another process's transaction. 0…10m, default 5s.
    public var busyTimeout: Duration
    /// The largest job payload accepted, in bytes. 1 byte…256MiB, default 1MiB.
    public var maxPayload: Int
    /// Set when the jobs live in PostgreSQL (`path`, `sync` and `busy_timeout` then do not apply).
    public var postgres: PostgresStoreSettings?

    public init(
        path: String = "jobqueue.db", sync: SyncMode = .full, busyTimeout: Duration = .seconds(5), maxPayload: Int = 1 << 20,
        postgres: PostgresStoreSettings? = nil
    ) {
        self.path = path
        self.sync = sync
        self.busyTimeout = busyTimeout
        self.maxPayload = maxPayload
        self.postgres = postgres
    }

    /// Where the jobs are, for messages: the file, or the URL without its password.
    public var location: String { postgres?.description ?? path }

    /// Opens the configured store (for PostgreSQL: connects and upgrades its schema).
    public func open(logger: Logger) async throws -> any JobStore {
        if let postgres { return try await PostgresJobStore(postgres, logger: logger) }
        return try SQLiteJobStore(.init(path: path, sync: sync, busyTimeout: busyTimeout))
    }
}
