import JobQueue
import JobQueueConfig
import JobQueuePostgres
import Logging

/// The one place a configured store becomes an open one (for the host and every command): the config module
/// only describes the store, and each backend only knows itself.
extension StoreConfiguration {
    /// Opens the configured store: creates or upgrades the SQLite file (and its folders), or
    /// connects to PostgreSQL and creates or upgrades its schema. Commands that only read pass
    /// `creating: false`: a store that does not exist yet is `StoreError.absent`, and nothing is
    /// created. Throws a `StoreError` naming the store's `path` or `url`.
    public func open(creating: Bool = true, logger: Logger) async throws -> any JobStore {
        switch backend {
        case let .sqlite(settings): try SQLiteJobStore(settings, creating: creating)
        case let .postgres(settings): try await PostgresJobStore(settings, creating: creating, logger: logger)
        }
    }

    /// What `open` would find, read without writing anything (`jobqueue check`). Throws what
    /// `open` would throw.
    public func readiness(logger: Logger) async throws -> StoreReadiness {
        switch backend {
        case let .sqlite(settings): try SQLiteJobStore.readiness(of: settings)
        case let .postgres(settings): try await PostgresJobStore.readiness(of: settings, logger: logger)
        }
    }

    /// `error` in its one-line operator form. A raw SQLite error (disk full, a damaged file)
    /// becomes a `StoreError` naming the file's `path`; everything else passes through (the
    /// PostgreSQL store already throws `StoreError`s naming its `url`).
    public func operatorError(_ error: any Error) -> any Error {
        guard case let .sqlite(settings) = backend else { return error }
        return StoreError(sqlite: error, path: settings.path) ?? error
    }
}
