import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func deadLetters(matching selector: DeadLetterSelector, limit: Int?) async throws -> [DeadLetter] {
        try await autocommit { [self] transaction in
            try await transaction.rows(
                """
                SELECT id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at
                FROM \(unescaped: tables).dead_letters WHERE \(deadLetters: selector)
                ORDER BY \(unescaped: selector.newestFirst ? "died_at DESC, id DESC" : "died_at, id") LIMIT \(limit.map(Int64.init))
                """
            ).map { row in
                let (id, queueID, topic, payload, priority, maxRetries, attempts, kind, reason, createdAt, diedAt) =
                    try row.decode((Int64, String, String, ByteBuffer, Int, Int, Int, String, String, Int64, Int64).self)
                return DeadLetter(
                    id: JobID(rawValue: id), queueID: queueID, topic: topic, payload: Array(payload.readableBytesView),
                    priority: priority, maxRetries: maxRetries, attempts: attempts, kind: DeadLetter.Kind(rawValue: kind) ?? .failed,
                    reason: reason, createdAt: Timestamp(rawValue: createdAt), diedAt: Timestamp(rawValue: diedAt))
            }
        }
    }

    /// Moves matching dead letters back into their queues, keeping their ids (so their place in
    /// enqueue order) and their history, and wakes the hosts.
    public func retryDeadLetters(matching selector: DeadLetterSelector, now: Timestamp) async throws -> Int {
        let moved = try await autocommit { [self] transaction in
            try await transaction.first(
                """
                WITH moved AS (
                    DELETE FROM \(unescaped: tables).dead_letters WHERE \(deadLetters: selector) RETURNING *
                ), inserted AS (
                    INSERT INTO \(unescaped: tables).jobs
                        (id, queue_id, topic, payload, priority, visible_at, attempt, max_retries, created_at, last_error, history)
                    SELECT id, queue_id, topic, payload, priority, \(now.rawValue), 0, max_retries, created_at, reason, history FROM moved
                    RETURNING queue_id, topic
                ), pointers AS (
                    INSERT INTO \(unescaped: tables).queue_pointers (queue_id, topic, vesting_at)
                    SELECT DISTINCT queue_id, topic, \(now.rawValue)::bigint FROM inserted ORDER BY queue_id, topic
                    ON CONFLICT (queue_id, topic) DO UPDATE SET \(unescaped: PostgresSchema.lowerPointer)
                ), notified AS (
                    SELECT pg_notify(\(channel), '')
                )
                SELECT count(*) FROM inserted, notified
                """, as: Int.self) ?? 0
        }
        localChanges.signal()
        return moved
    }

    public func purgeDeadLetters(matching selector: DeadLetterSelector) async throws -> Int {
        try await autocommit { [self] transaction in
            try await transaction.first(
                """
                WITH purged AS (DELETE FROM \(unescaped: tables).dead_letters WHERE \(deadLetters: selector) RETURNING 1)
                SELECT count(*) FROM purged
                """, as: Int.self) ?? 0
        }
    }
}

extension PostgresQuery.StringInterpolation {
    /// A condition on the dead letters `selector` names, with its values bound.
    mutating func appendInterpolation(deadLetters selector: DeadLetterSelector) {
        let ids = selector.ids?.map(\.rawValue)
        appendLiteral("(")
        appendInterpolation(ids)
        appendLiteral("::bigint[] IS NULL OR id = ANY(")
        appendInterpolation(ids)
        appendLiteral("::bigint[])) AND (")
        appendInterpolation(selector.queueID)
        appendLiteral("::text IS NULL OR queue_id = ")
        appendInterpolation(selector.queueID)
        appendLiteral("::text) AND (")
        appendInterpolation(selector.topic)
        appendLiteral("::text IS NULL OR topic = ")
        appendInterpolation(selector.topic)
        appendLiteral("::text) AND (")
        appendInterpolation(selector.search)
        appendLiteral("::text IS NULL OR strpos(lower(queue_id || chr(10) || topic || chr(10) || reason), lower(")
        appendInterpolation(selector.search)
        appendLiteral("::text)) > 0) AND (")
        appendInterpolation(selector.kind?.rawValue)
        appendLiteral("::text IS NULL OR kind = ")
        appendInterpolation(selector.kind?.rawValue)
        appendLiteral("::text)")
    }
}
