import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func job(_ id: JobID, now: Timestamp) async throws -> JobRecord? {
        try await snapshot { [self] transaction in
            for table in JobState.Place.allCases {
                let rows = try await transaction.rows("\(unescaped: table.select(from: tables)) WHERE id = \(id.rawValue)")
                if let row = rows.first { return try table.record(row, now: now) }
            }
            return nil
        }
    }

    public func jobs(matching filter: JobFilter, limit: Int, now: Timestamp) async throws -> [JobRecord] {
        try await snapshot { [self] transaction in
            var found: [JobRecord] = []
            for table in JobState.Place.allCases where filter.state.map({ $0.place == table }) ?? true {
                let rows = try await transaction.rows(
                    """
                    \(unescaped: table.select(from: tables))
                    WHERE (\(filter.queueID)::text IS NULL OR queue_id = \(filter.queueID))
                        AND (\(filter.topic)::text IS NULL OR topic = \(filter.topic))
                        \(queuedState: table == .queued ? filter.state : nil, now: now)
                        \(unescaped: table == .dead ? filter.state.map { $0 == .cancelled ? "AND kind = 'cancelled'" : "AND kind <> 'cancelled'" } ?? "" : "")
                    ORDER BY id DESC LIMIT \(Int64(limit))
                    """)
                found += try rows.map { try table.record($0, now: now) }
            }
            return Array(found.sorted { $0.id.rawValue > $1.id.rawValue }.prefix(limit))
        }
    }

    public func prune(completedBefore: Timestamp, deadBefore: Timestamp?, limit: Int) async throws -> Int {
        // Hosts prune now and then: the changes to the counts are folded then too.
        _ = try await transaction { [self] transaction in try await foldCounts(in: transaction) }
        return try await autocommit { [self] transaction in
            try await transaction.first(
                """
                WITH completed AS (
                    DELETE FROM \(unescaped: tables).completed_jobs WHERE id IN (
                        SELECT id FROM \(unescaped: tables).completed_jobs WHERE completed_at < \(completedBefore.rawValue)
                        ORDER BY completed_at LIMIT \(Int64(limit)))
                    RETURNING 1
                ), dead AS (
                    DELETE FROM \(unescaped: tables).dead_letters WHERE id IN (
                        SELECT id FROM \(unescaped: tables).dead_letters WHERE died_at < \(deadBefore?.rawValue)::bigint
                        ORDER BY died_at LIMIT \(Int64(limit)))
                    RETURNING 1
                ), holds AS (
                    DELETE FROM \(unescaped: tables).unique_holds WHERE (topic, unique_key) IN (
                        SELECT topic, unique_key FROM \(unescaped: tables).unique_holds WHERE held_until < \(min(completedBefore, .now).rawValue)
                        ORDER BY held_until LIMIT \(Int64(limit)))
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM completed) + (SELECT count(*) FROM dead) + (SELECT count(*) FROM holds)
                """, as: Int.self) ?? 0
        }
    }
}

/// The three tables a job can be in, read into one shape: id, queue_id, topic, payload,
/// priority, max_retries, attempts, created_at, its time (`JobRecord.at`), lease expiry, error,
/// dead-letter kind, history.
extension JobState.Place {
    fileprivate func select(from schema: String) -> String {
        let columns = "id, queue_id, topic, payload, priority, max_retries"
        return switch self {
        case .queued:
            "SELECT \(columns), attempt, created_at, visible_at, lease_expires_at, last_error, NULL::text, history::text FROM \(schema).jobs"
        case .dead:
            "SELECT \(columns), attempts, created_at, died_at, NULL::bigint, reason, kind, history::text FROM \(schema).dead_letters"
        case .completed:
            """
            SELECT \(columns), attempts, created_at, completed_at, NULL::bigint, NULL::text, NULL::text, history::text
            FROM \(schema).completed_jobs
            """
        }
    }

    fileprivate func record(_ row: PostgresRow, now: Timestamp) throws -> JobRecord {
        let (id, queueID, topic, payload, priority, maxRetries, attempts, createdAt, at, leaseExpiresAt, error, kind, history) =
            try row.decode((Int64, String, String, ByteBuffer, Int, Int, Int, Int64, Int64, Int64?, String?, String?, String).self)
        let time = Timestamp(rawValue: at)
        let state: JobState =
            switch self {
            case .queued: .ofQueuedJob(visibleAt: time, leaseExpiresAt: leaseExpiresAt.map(Timestamp.init(rawValue:)), now: now)
            case .dead: .ofDeadLetter(kind.flatMap(DeadLetter.Kind.init(rawValue:)))
            case .completed: .completed
            }
        return JobRecord(
            id: JobID(rawValue: id), queueID: queueID, topic: topic, state: state, payload: Array(payload.readableBytesView),
            priority: priority, maxRetries: maxRetries, attempts: attempts, createdAt: Timestamp(rawValue: createdAt), at: time,
            error: error, deadKind: kind.flatMap(DeadLetter.Kind.init(rawValue:)), history: JobAttempt.history(fromJSON: history))
    }
}

extension PostgresQuery.StringInterpolation {
    /// ` AND` the condition on the jobs table for a queued `state` at `now`, as `status` counts
    /// them; nothing when `state` is nil.
    mutating func appendInterpolation(queuedState state: JobState?, now: Timestamp) {
        guard let state else { return }
        switch state {
        case .ready: appendLiteral("AND visible_at <= ")
        case .scheduled: appendLiteral("AND lease_token IS NULL AND visible_at > ")
        default: appendLiteral("AND lease_token IS NOT NULL AND lease_expires_at > ")
        }
        appendInterpolation(now.rawValue)
    }
}
