import JobQueue

/// The `store:` section: which store holds the jobs, as plain settings. A SQLite file by default;
/// PostgreSQL when `url:` (or `url_env:`) is set, for several hosts on one queue.
///
/// This module only describes the store; the program opens it (`jobqueue` does so in
/// `Store/StoreConfiguration+Open.swift`), so reading a config never needs a store backend.
public struct StoreConfiguration: Sendable, Equatable {
    /// Which store, with the settings that apply to it only.
    public enum Backend: Sendable, Equatable {
        /// A SQLite file: `path`, `sync`, `busy_timeout`. The loader resolves a relative `path:`
        /// against the config file's folder, so the path is absolute for a loaded configuration.
        case sqlite(SQLiteJobStore.Settings)
        /// A PostgreSQL schema: `url` (or `url_env`), `password_env`, `schema`, `max_connections`,
        /// `timeout`.
        case postgres(PostgresStoreSettings)
    }

    /// The store the jobs live in. Default: the SQLite file `jobqueue.db`, `sync: full`,
    /// `busy_timeout: 5s`.
    public var backend: Backend
    /// The largest job payload accepted, in bytes, whatever the backend. 1 byte…256MiB, default 1MiB.
    public var maxPayload: Int

    public init(_ backend: Backend = .sqlite(.init(path: "jobqueue.db")), maxPayload: Int = 1 << 20) {
        self.backend = backend
        self.maxPayload = maxPayload
    }

    /// Where the jobs are, for messages: `path: <file>`, or `url: <URL without its password>`.
    public var location: StoreLocation {
        switch backend {
        case let .sqlite(settings): .path(settings.path)
        case let .postgres(settings): settings.location
        }
    }
}
