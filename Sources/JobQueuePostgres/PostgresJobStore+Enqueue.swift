import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try NewJob.validate(jobs)
        if jobs.isEmpty { return [] }
        let ids = try await autocommit { [self] in try await insert(jobs, in: $0) }
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
            let insert = InsertJobs(jobs: jobs, now: .now, channel: channel)
            let rows = try await PostgresTransaction(connection: connection, logger: logger).rows(insert.query(schema: settings.schema))
            return try rows.map(insert.decodeRow)
        } catch {
            throw Self.storeError(error, store: settings.location)
        }
    }

    /// Inserts jobs, lowers their queues' pointers and notifies listeners, in one prepared
    /// statement on a pooled connection.
    func insert(_ jobs: [NewJob], in transaction: PostgresTransaction, now: Timestamp = .now) async throws -> [JobID] {
        try await transaction.rows(InsertJobs(jobs: jobs, now: now, channel: channel))
    }
}
