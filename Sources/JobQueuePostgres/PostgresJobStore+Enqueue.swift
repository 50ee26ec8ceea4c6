import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try NewJob.validate(jobs)
        if jobs.isEmpty { return [] }
        // One statement needs no transaction of its own; jobs with unique keys take several.
        let ids =
            jobs.contains { $0.uniqueKey != nil }
            ? try await transaction { [self] in try await insert(jobs, in: $0) }
            : try await autocommit { [self] in try await insert(jobs, in: $0) }
        localChanges.signal()
        return ids
    }

    /// Stores `jobs` inside the caller's own transaction on `connection`, so that an application
    /// stores its data and its jobs atomically: the jobs exist, and hosts are woken, only if that
    /// transaction commits. The caller must have begun the transaction (e.g. with
    /// `PostgresClient.withTransaction`); the connection may be from any client of the database.
    public func enqueue(_ jobs: [NewJob], on connection: PostgresConnection) async throws -> [JobID] {
        try NewJob.validate(jobs)
        if jobs.isEmpty { return [] }
        do {
            // Not prepared: the caller's `search_path` is unknown, so the tables are named in full.
            return try await insert(jobs, in: PostgresTransaction(connection: connection, logger: logger), prepared: false)
        } catch {
            throw Self.storeError(error, store: settings.location)
        }
    }

    /// Inserts jobs, lowers their queues' pointers and notifies listeners, in one statement
    /// (prepared on a pooled connection unless `prepared` is false). Returns the ids in order; a
    /// job whose unique key is taken gets the id of the job holding it (see `InsertUniqueJobs`).
    /// Jobs with unique keys need a transaction at READ COMMITTED (PostgreSQL's default); unless
    /// `keysLocked`, their keys are locked first (see `lockUniqueKeys`).
    func insert(
        _ jobs: [NewJob], in transaction: PostgresTransaction, now: Timestamp = .now, prepared: Bool = true, keysLocked: Bool = false
    ) async throws -> [JobID] {
        guard jobs.contains(where: { $0.uniqueKey != nil }) else {
            let insert = InsertJobs(jobs: jobs, now: now, channel: channel)
            return try await prepared ? transaction.rows(insert) : transaction.rows(insert.query(schema: tables)).map(insert.decodeRow)
        }
        if !keysLocked { try await lockUniqueKeys(of: jobs, in: transaction) }
        let insert = InsertUniqueJobs(jobs: jobs, now: now, channel: channel)
        guard let ids = try insert.ids(from: try await transaction.rows(insert.query(tables: "\(tables)."))) else {
            throw StoreError.cannotWrite(store: settings.location, reason: "a unique key changed hands during the enqueue")
        }
        return ids
    }

    /// Locks the unique keys of `jobs` until the transaction ends (as advisory locks, in one
    /// order): whoever enqueues a key waits for whoever holds it until that one commits or rolls
    /// back, so that a statement begun afterwards sees every earlier enqueue of its keys. Every
    /// writer takes the keys before the queue pointers, so that none waits for another in a
    /// circle.
    func lockUniqueKeys(of jobs: [NewJob], in transaction: PostgresTransaction) async throws {
        let keyed = jobs.filter { $0.uniqueKey != nil }
        if keyed.isEmpty { return }
        let topics = keyed.map(\.topic)
        let keys = keyed.map { $0.uniqueKey ?? "" }
        try await transaction.run(
            """
            SELECT pg_advisory_xact_lock(k) FROM (
                SELECT DISTINCT hashtextextended(t, hashtextextended(u, 0)) AS k FROM unnest(\(topics)::text[], \(keys)::text[]) AS x(t, u)
                ORDER BY 1
            ) s
            """)
    }
}
