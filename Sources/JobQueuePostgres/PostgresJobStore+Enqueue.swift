import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try NewJob.validate(jobs)
        if jobs.isEmpty { return [] }
        let ids = try await read { [self] in try await insert(jobs, in: $0) }
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
            return try await insert(jobs, in: PostgresTransaction(connection: connection, logger: logger))
        } catch {
            throw Self.storeError(error, store: settings.description)
        }
    }

    /// Inserts jobs, lowers their queues' pointers and notifies listeners, in one statement.
    func insert(_ jobs: [NewJob], in transaction: PostgresTransaction, now: Timestamp = .now) async throws -> [JobID] {
        let now = now.rawValue
        let defaults = TopicPolicy.default
        var queueIDs: [String] = [], topics: [String] = [], payloads: [ByteBuffer] = []
        var priorities: [Int] = [], visibleAts: [Int64] = [], maxRetries: [Int] = []
        for job in jobs {
            queueIDs.append(job.queueID)
            topics.append(job.topic)
            payloads.append(ByteBuffer(bytes: job.payload))
            priorities.append(job.priority ?? defaults.priority)
            visibleAts.append(job.visibleAt?.rawValue ?? now)
            maxRetries.append(job.maxRetries ?? defaults.maxRetries)
        }
        // Pointers are upserted in key order, so concurrent enqueues lock them in one order.
        // Work visible at once is pointed to a millisecond early: a queue served during this
        // millisecond has its pointer at this millisecond and must not win the tie against a newcomer.
        let ids = try await transaction.all("""
            WITH input AS (
                SELECT * FROM unnest(\(queueIDs)::text[], \(topics)::text[], \(payloads)::bytea[],
                    \(priorities)::bigint[], \(visibleAts)::bigint[], \(maxRetries)::bigint[])
                    WITH ORDINALITY AS i(queue_id, topic, payload, priority, visible_at, max_retries, n)
            ), inserted AS (
                INSERT INTO \(unescaped: tables).jobs (queue_id, topic, payload, priority, visible_at, max_retries, created_at)
                SELECT queue_id, topic, payload, priority, visible_at, max_retries, \(now) FROM input ORDER BY n
                RETURNING id
            ), pointers AS (
                INSERT INTO \(unescaped: tables).queue_pointers (queue_id, topic, vesting_at)
                SELECT queue_id, topic, min(CASE WHEN visible_at <= \(now) THEN visible_at - 1 ELSE visible_at END)
                FROM input GROUP BY queue_id, topic ORDER BY queue_id, topic
                ON CONFLICT (queue_id, topic) DO UPDATE SET vesting_at = least(queue_pointers.vesting_at, excluded.vesting_at)
            ), notified AS (
                SELECT pg_notify(\(channel), '')
            )
            SELECT id FROM inserted, notified ORDER BY id
            """, as: Int64.self)
        return ids.map(JobID.init(rawValue:))
    }
}
