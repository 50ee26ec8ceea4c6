import JobQueue
import Logging
import PostgresNIO

/// The store for several hosts on one queue: the same data model as the SQLite store, in a
/// PostgreSQL schema shared by every host that opens it.
///
/// Hosts take queues and jobs with `FOR UPDATE SKIP LOCKED`, so they never wait for each other's
/// takes and never lease one job twice; enqueues wake idle hosts through LISTEN/NOTIFY. Lease
/// expiry compares the hosts' clocks: keep them synchronised (NTP) to well within a lease.
///
/// The statements of every job's path (take, lease, extend, settle, enqueue) are prepared once
/// per pooled connection, so the server parses them once and can reuse a generic plan instead of
/// planning each call; the rest are plain queries.
public final class PostgresJobStore: JobStore {
    public let settings: PostgresStoreSettings
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>
    /// Signals this process's change streams at once after its own enqueues.
    let localChanges = ChangeBroadcast()
    /// Times each write transaction (`jobqueue_store_commit_seconds{store="postgresql"}`).
    let commitTimer = StoreMetrics.commitTimer(store: "postgresql")

    /// The schema, to qualify table names in statements that are not prepared (it is a validated
    /// identifier). Prepared statements (`Statements/`) name tables without it: they run only on
    /// pooled connections, whose `search_path` is the schema.
    var tables: String { settings.schema }
    /// The LISTEN/NOTIFY channel of this store.
    var channel: String { "jobqueue_\(settings.schema)" }

    /// Connects, then creates or upgrades the schema; unless `creating` is false, when a missing
    /// schema is `StoreError.absent` and nothing is created. Throws a `StoreError` naming the
    /// server (never the password) when it cannot connect or the schema is from a newer version.
    public init(
        _ settings: PostgresStoreSettings, creating: Bool = true, logger: Logger = Logger(label: "jobqueue.postgres")
    ) async throws {
        self.settings = settings
        self.logger = logger
        try await Self.withDirectTransaction(settings, logger: logger) { transaction in
            if !creating, try await PostgresSchema.readiness(in: transaction, schema: settings.schema, store: settings.location) == .absent {
                throw StoreError.absent(store: settings.location)
            }
            try await PostgresSchema.migrate(in: transaction, schema: settings.schema, store: settings.location, logger: logger)
        }
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
        // The prepared statements find the tables through the pool's search_path: refuse a server
        // (or a pooler in front of it) that did not apply it, rather than work on other tables.
        do {
            let found = try await autocommit { try await $0.first("SELECT current_schema()", as: String?.self) } ?? nil
            guard found == settings.schema else {
                throw StoreError.cannotOpen(
                    store: settings.location,
                    reason: "pooled connections have search_path \(found ?? "(none)"), not the schema \(settings.schema)")
            }
        } catch {
            await close()
            throw error
        }
    }

    /// Closes the pool's connections.
    public func close() async {
        running.cancel()
        await running.value
    }

    /// Nothing to check beyond what every operation reports: the pool reconnects after a server
    /// restart, and operations fail (and are retried by the pipeline) while it is away.
    public func checkHealth() async throws {}

    /// Runs `body` in a transaction on a pooled connection; rolls back if it throws. Errors come
    /// out as `StoreError`s.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> Result) async throws -> Result {
        try await withConnection { [commitTimer] connection, logger in
            let started = ContinuousClock.now
            defer { commitTimer.recordElapsed(since: started) }
            return try await Self.inTransaction(connection, logger: logger, body)
        }
    }

    /// Runs `body`'s reads in one read-only snapshot (REPEATABLE READ), so that reads of several
    /// tables agree (a job moving from one to another in between is seen in exactly one). Not
    /// timed as a commit.
    func snapshot<Result: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> Result) async throws -> Result {
        try await withConnection { connection, logger in
            let transaction = PostgresTransaction(connection: connection, logger: logger)
            try await transaction.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try await body(transaction)
                try await transaction.run("COMMIT")
                return result
            } catch {
                try? await transaction.run("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on a pooled connection, each statement its own transaction (reads, and writes
    /// that are one statement).
    func autocommit<Result: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> Result) async throws -> Result {
        try await withConnection { connection, logger in try await body(PostgresTransaction(connection: connection, logger: logger)) }
    }

    /// Runs `body`, one write statement that is its own transaction, timed as a commit: a
    /// connection failure with it sent leaves its outcome unknown, as one during COMMIT does.
    func singleStatement<Result: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> Result) async throws -> Result {
        try await withConnection { [commitTimer] connection, logger in
            let started = ContinuousClock.now
            defer { commitTimer.recordElapsed(since: started) }
            do {
                return try await body(PostgresTransaction(connection: connection, logger: logger))
            } catch let error as PSQLError where error.serverInfo == nil {
                throw CommitOutcomeUnknown(error: error)
            }
        }
    }

    private func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> Result
    ) async throws -> Result {
        let client = client
        let logger = logger
        do {
            return try await withDeadline(settings.operationTimeout) {
                try await client.withConnection { connection in try await body(connection, logger) }
            }
        } catch is DeadlineExceeded {
            throw StoreError.outcomeUnknown(store: settings.location, reason: "no answer from the server within \(settings.operationTimeout)")
        } catch let error as CommitOutcomeUnknown {
            throw StoreError.outcomeUnknown(store: settings.location, reason: "connection lost during COMMIT: \(Self.reason(error.error))")
        } catch {
            throw Self.storeError(error, store: settings.location)
        }
    }

    /// What the store's schema holds, read without writing anything. Throws what opening the
    /// store would throw.
    public static func readiness(
        of settings: PostgresStoreSettings, logger: Logger = Logger(label: "jobqueue.postgres")
    ) async throws -> StoreReadiness {
        try await withDirectTransaction(settings, logger: logger) { transaction in
            try await PostgresSchema.readiness(in: transaction, schema: settings.schema, store: settings.location)
        }
    }

    /// Runs `body` in a transaction on a connection of its own: the pool waits for a server that
    /// is down, this fails at once.
    private static func withDirectTransaction<Result: Sendable>(
        _ settings: PostgresStoreSettings, logger: Logger, _ body: @Sendable (PostgresTransaction) async throws -> Result
    ) async throws -> Result {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: settings.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw StoreError.cannotOpen(store: settings.location, reason: reason(error))
        }
        do {
            let result = try await inTransaction(connection, logger: logger, body)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw storeError(error, store: settings.location)
        }
    }

    private static func inTransaction<Result: Sendable>(
        _ connection: PostgresConnection, logger: Logger, _ body: @Sendable (PostgresTransaction) async throws -> Result
    ) async throws -> Result {
        let transaction = PostgresTransaction(connection: connection, logger: logger)
        try await transaction.run("BEGIN")
        let result: Result
        do {
            result = try await body(transaction)
        } catch {
            try? await transaction.run("ROLLBACK")
            throw error
        }
        do {
            try await transaction.run("COMMIT")
        } catch let error as PSQLError where error.serverInfo == nil {
            // The connection failed with the COMMIT sent: the server may have committed.
            throw CommitOutcomeUnknown(error: error)
        }
        return result
    }
}

/// The connection failed after COMMIT was sent: the transaction may have been committed.
private struct CommitOutcomeUnknown: Error {
    let error: PSQLError
}
