import GRDB

extension SQLiteJobStore {
    @discardableResult
    public func settle(_ settlements: [Settlement]) async throws -> [Bool] {
        guard !settlements.isEmpty else { return [] }
        let now = Timestamp.now.rawValue
        return try await writer.write { db in
            var touched: Set<QueueKey> = []
            let applied = try settlements.map { settlement in
                guard let key = try Self.heldQueue(db, settlement.job, settlement.lease) else { return false }
                touched.insert(key)
                try Self.apply(db, settlement, now: now)
                if !settlement.followUps.isEmpty {
                    _ = try Self.insert(db, settlement.followUps, now: now)
                }
                return true
            }
            for key in touched {
                try Self.refreshPointer(db, key, servedAt: nil, now: now)
            }
            return applied
        }
    }

    /// The queue of `job` if it is still held under `lease`.
    private static func heldQueue(_ db: Database, _ job: JobID, _ lease: LeaseToken) throws -> QueueKey? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT queue_id, topic FROM jobs WHERE id = ? AND lease_token = ?"),
            arguments: [job.rawValue, lease.rawValue])
        return row.map { QueueKey(queueID: $0[0], topic: $0[1]) }
    }

    private static func apply(_ db: Database, _ settlement: Settlement, now: Int64) throws {
        let id = settlement.job.rawValue
        switch settlement.action {
        case .complete:
            try db.cachedStatement(sql: "DELETE FROM jobs WHERE id = ?").execute(arguments: [id])
        case let .retry(at, error):
            try db.cachedStatement(sql: """
                UPDATE jobs SET visible_at = ?, last_error = coalesce(?, last_error),
                    lease_token = NULL, lease_expires_at = NULL
                WHERE id = ?
                """).execute(arguments: [at.rawValue, error, id])
        case let .bury(kind, reason):
            try bury(db, settlement.job, kind: kind, reason: reason, now: now)
        case .release:
            try db.cachedStatement(sql: """
                UPDATE jobs SET attempt = max(attempt - 1, 0), visible_at = ?, lease_token = NULL, lease_expires_at = NULL
                WHERE id = ?
                """).execute(arguments: [now, id])
        }
    }

    /// Moves a job into the dead-letter store (the caller refreshes its queue's pointer).
    static func bury(_ db: Database, _ job: JobID, kind: DeadLetter.Kind, reason: String, now: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO dead_letters(id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at)
            SELECT id, queue_id, topic, payload, priority, max_retries, attempt, ?, ?, created_at, ? FROM jobs WHERE id = ?
            """).execute(arguments: [kind.rawValue, reason, now, job.rawValue])
        try db.cachedStatement(sql: "DELETE FROM jobs WHERE id = ?").execute(arguments: [job.rawValue])
    }
}
