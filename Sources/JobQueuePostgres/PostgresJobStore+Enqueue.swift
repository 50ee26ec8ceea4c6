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
            return try await insert(jobs, in: PostgresTransaction(connection: connection, logger: logger), prepared: false)
        } catch {
            throw Self.storeError(error, store: settings.location)
        }
    }

    /// Inserts jobs, lowers their queues' pointers and notifies listeners: in one statement
    /// (prepared on a pooled connection unless `prepared` is false) for jobs without unique keys,
    /// and one statement per job with a key. Returns the ids in order; a job whose key is taken
    /// gets the id of the job holding it.
    func insert(_ jobs: [NewJob], in transaction: PostgresTransaction, now: Timestamp = .now, prepared: Bool = true) async throws -> [JobID] {
        let keyed = jobs.filter { $0.uniqueKey != nil }
        if !keyed.isEmpty {
            // Whoever enqueues a key waits for whoever holds it until that one commits or rolls
            // back, so each statement below sees every earlier enqueue of its key: the keys
            // (as advisory locks) and then the pointers, each in one order, so that no two
            // enqueues wait for each other.
            let topics = keyed.map(\.topic)
            let keys = keyed.map { $0.uniqueKey ?? "" }
            try await transaction.run(
                """
                SELECT pg_advisory_xact_lock(k) FROM (
                    SELECT DISTINCT hashtextextended(t, hashtextextended(u, 0)) AS k FROM unnest(\(topics)::text[], \(keys)::text[]) AS x(t, u) ORDER BY 1
                ) s
                """)
            let queues = Array(Set(jobs.map { QueueKey(queueID: $0.queueID, topic: $0.topic) }))
            _ = try await transaction.rows(LockPointers(keys: queues).query(schema: tables))
        }
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        var start = jobs.startIndex
        while start < jobs.endIndex {
            if let key = jobs[start].uniqueKey {
                ids.append(try await insertUnique(jobs[start], key: key, in: transaction, now: now))
                start += 1
                continue
            }
            let end = jobs[start...].firstIndex { $0.uniqueKey != nil } ?? jobs.endIndex
            let insert = InsertJobs(jobs: Array(jobs[start..<end]), now: now, channel: channel)
            ids += try await prepared ? transaction.rows(insert) : transaction.rows(insert.query(schema: tables)).map(insert.decodeRow)
            start = end
        }
        return ids
    }

    /// Stores a job with a unique key unless its key is taken (see `InsertUniqueJob`); returns
    /// its id, or that of the job holding the key.
    private func insertUnique(_ job: NewJob, key: String, in transaction: PostgresTransaction, now: Timestamp) async throws -> JobID {
        let insert = InsertUniqueJob(job: job, key: key, now: now, channel: channel)
        // A live job holds the key; if it finishes before it is looked up, the key is free: again.
        for _ in 0..<3 {
            let row = try await transaction.rows(insert.query(tables: "\(tables)."))[0]
            let (inserted, held, _) = try row.decode((Int64?, Int64?, Int64).self)
            if let id = inserted ?? held { return JobID(rawValue: id) }
            if let live = try await transaction.first(insert.liveJob(tables: "\(tables)."), as: Int64.self) { return JobID(rawValue: live) }
        }
        throw StoreError.cannotWrite(store: settings.location, reason: "unique key '\(key)' of topic \(job.topic) kept changing hands")
    }
}
