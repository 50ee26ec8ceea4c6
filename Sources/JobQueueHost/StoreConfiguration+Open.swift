import JobQueue
import JobQueueConfig
import JobQueuePostgres
import Logging

/// The one place a configured store becomes an open one (for the host and every command): the config module
/// only describes the store, and each backend only knows itself.
extension StoreConfiguration {
    /// Opens the configured store: creates or upgrades the SQLite file, or connects to PostgreSQL
    /// and creates or upgrades its schema. Throws a `StoreError` naming the store's `path` or `url`.
    public func open(logger: Logger) async throws -> any JobStore {
        switch backend {
        case let .sqlite(settings): try SQLiteJobStore(settings)
        case let .postgres(settings): try await PostgresJobStore(settings, logger: logger)
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
