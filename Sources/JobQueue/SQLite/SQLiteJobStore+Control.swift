import GRDB

/// What operators steer the queue with: pauses and cancellations.
extension SQLiteJobStore {
    public func pause(topic: String, queueID: String?, now: Timestamp) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO pauses(topic, queue_id, paused_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [topic, queueID ?? Pause.wholeTopic, now.rawValue])
            return db.changesCount == 1
        }
    }

    public func resume(topic: String, queueID: String?) async throws -> Bool {
        let resumed = try await writer.write { db in
            try db.execute(sql: "DELETE FROM pauses WHERE topic = ? AND queue_id = ?", arguments: [topic, queueID ?? Pause.wholeTopic])
            return db.changesCount == 1
        }
        localChanges.signal()
        return resumed
    }

    static func pauses(_ db: Database) throws -> [Pause] {
        try Row.fetchAll(db, sql: "SELECT topic, queue_id, paused_at FROM pauses ORDER BY topic, queue_id").map { row in
            let queueID: String = row[1]
            return Pause(topic: row[0], queueID: queueID == Pause.wholeTopic ? nil : queueID, pausedAt: Timestamp(rawValue: row[2]))
        }
    }

    public func cancel(_ selection: JobSelection, reason: String, now: Timestamp) async throws -> [JobID] {
        let now = now.rawValue
        let cancelled = try await writer.write { db in
            let columns = "SELECT id, queue_id, topic, attempt, lease_token, lease_expires_at FROM jobs"
            let rows: [Row] =
                switch selection {
                case let .ids(ids):
                    try Set(ids).sorted { $0.rawValue < $1.rawValue }.compactMap {
                        try Row.fetchOne(db, sql: "\(columns) WHERE id = ?", arguments: [$0.rawValue])
                    }
                case let .queue(queueID, topic?):
                    try Row.fetchAll(db, sql: "\(columns) WHERE queue_id = ? AND topic = ? ORDER BY id", arguments: [queueID, topic])
                case let .queue(queueID, nil):
                    try Row.fetchAll(db, sql: "\(columns) WHERE queue_id = ? ORDER BY id", arguments: [queueID])
                }
            var queues: Set<QueueKey> = []
            for row in rows {
                let id = JobID(rawValue: row[0])
                let token: String? = row[4]
                let expiresAt: Int64? = row[5]
                let key = QueueKey(queueID: row[1], topic: row[2])
                // Running now: its run ends here, and the history says so, and its lease holds it no more.
                if let token, (expiresAt ?? 0) > now { try Self.releaseFromLease(db, LeaseToken(rawValue: token), key, jobs: 1) }
                let record = token.flatMap { token in
                    (expiresAt ?? 0) > now
                        ? JobAttempt(
                            attempt: row[3], outcome: .cancelled, error: reason, host: LeaseToken(rawValue: token).owner,
                            finishedAt: Timestamp(rawValue: now)
                        ).json : nil
                }
                try Self.bury(db, id, kind: .cancelled, reason: reason, record: record, now: now)
                queues.insert(key)
            }
            for queue in queues { try Self.refreshPointer(db, queue, servedAt: nil, now: now) }
            return rows.map { JobID(rawValue: $0[0]) }
        }
        localChanges.signal()
        return cancelled
    }

    public func cancelledJobs(among ids: [JobID]) async throws -> [JobID] {
        if ids.isEmpty { return [] }
        return try await pool.read { db in
            let statement = try RawStatement(db, "SELECT 1 FROM dead_letters WHERE id = ?1 AND kind = 'cancelled'")
            defer { statement.reset() }
            return try ids.filter { id in
                statement.reset()
                statement.bind(1, id.rawValue)
                return try statement.step()
            }
        }
    }
}
