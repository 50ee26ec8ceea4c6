import JobQueue
import PostgresNIO

/// What operators steer the queue with: pauses and cancellations.
extension PostgresJobStore {
    public func pause(topic: String, queueID: String?, now: Timestamp) async throws -> Bool {
        try await autocommit { [self] transaction in
            try await !transaction.rows(
                """
                INSERT INTO \(unescaped: tables).pauses (topic, queue_id, paused_at) VALUES (\(topic), \(queueID ?? Pause.wholeTopic), \(now.rawValue))
                ON CONFLICT DO NOTHING RETURNING 1
                """
            ).isEmpty
        }
    }

    public func resume(topic: String, queueID: String?) async throws -> Bool {
        let resumed = try await transaction { [self] transaction in
            let rows = try await transaction.rows(
                "DELETE FROM \(unescaped: tables).pauses WHERE topic = \(topic) AND queue_id = \(queueID ?? Pause.wholeTopic) RETURNING 1")
            try await transaction.run("SELECT pg_notify(\(channel), '')")
            return !rows.isEmpty
        }
        localChanges.signal()
        return resumed
    }

    func pauses(in transaction: PostgresTransaction) async throws -> [Pause] {
        try await transaction.rows("SELECT topic, queue_id, paused_at FROM \(unescaped: tables).pauses ORDER BY topic, queue_id").map { row in
            let (topic, queueID, pausedAt) = try row.decode((String, String, Int64).self)
            return Pause(topic: topic, queueID: queueID == Pause.wholeTopic ? nil : queueID, pausedAt: Timestamp(rawValue: pausedAt))
        }
    }

    public func cancel(_ selection: JobSelection, reason: String, now: Timestamp) async throws -> [JobID] {
        var ids: [Int64]?
        var queueID: String?
        var topic: String?
        switch selection {
        case let .ids(selected): ids = selected.map(\.rawValue)
        case let .queue(queue, selectedTopic): (queueID, topic) = (queue, selectedTopic)
        }
        let cancelled = try await transaction { [self, ids, queueID, topic] transaction in
            // Job rows first, then their queues' pointers in key order: as settle locks them.
            // A job running now gets a `cancelled` run in its history.
            let record = """
                CASE WHEN gone.lease_token IS NOT NULL AND gone.lease_expires_at > \(now.rawValue) THEN jsonb_build_object(
                    'attempt', gone.attempt, 'outcome', 'cancelled', 'error', run.reason::text,
                    'host', \(LeaseToken.ownerSQL.replacing("lease_token", with: "gone.lease_token")), 'finished_at', \(now.rawValue)) END
                """
            let rows = try await transaction.rows(
                """
                WITH gone AS (
                    DELETE FROM \(unescaped: tables).jobs
                    WHERE (\(ids)::bigint[] IS NULL OR id = ANY(\(ids)::bigint[]))
                        AND (\(queueID)::text IS NULL OR queue_id = \(queueID)) AND (\(topic)::text IS NULL OR topic = \(topic))
                    RETURNING *
                ), run AS (
                    SELECT \(reason)::text AS reason
                )
                INSERT INTO \(unescaped: tables).dead_letters
                    (id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at, history)
                SELECT gone.id, gone.queue_id, gone.topic, gone.payload, gone.priority, gone.max_retries, gone.attempt, 'cancelled',
                    run.reason, gone.created_at, \(now.rawValue),
                    \(unescaped: PostgresSchema.historyAppending(record, history: "gone.history"))
                FROM gone, run RETURNING id, queue_id, topic
                """)
            var keys: Set<QueueKey> = []
            var cancelled: [JobID] = []
            for row in rows {
                let (id, queueID, topic) = try row.decode((Int64, String, String).self)
                keys.insert(QueueKey(queueID: queueID, topic: topic))
                cancelled.append(JobID(rawValue: id))
            }
            try await lockPointers(Array(keys), in: transaction)
            try await refreshPointers(keys, servedAt: nil, now: now, in: transaction)
            try await transaction.run("SELECT pg_notify(\(channel), '')")
            return cancelled.sorted { $0.rawValue < $1.rawValue }
        }
        localChanges.signal()
        return cancelled
    }

    public func cancelledJobs(among ids: [JobID]) async throws -> [JobID] {
        if ids.isEmpty { return [] }
        return try await autocommit { [self] transaction in
            try await transaction.all(
                "SELECT id FROM \(unescaped: tables).dead_letters WHERE id = ANY(\(ids.map(\.rawValue))::bigint[]) AND kind = 'cancelled'",
                as: Int64.self
            ).map(JobID.init(rawValue:))
        }
    }
}
