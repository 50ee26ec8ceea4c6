import GRDB

/// Keeping the pointer index in step with the jobs table, inside the caller's transaction.
///
/// A pointer's `vesting_at` is when its queue next has visible work. For a queue that has been
/// served, it is raised to the serving time, so ready queues are scanned least recently served
/// first: a tenant with a large backlog cannot keep the front of the line.
extension SQLiteJobStore {
    /// Lowers the pointer of `key` to `visibleAt` (creating it) after jobs were added.
    static func lowerPointer(_ db: Database, _ key: QueueKey, to visibleAt: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO queue_pointers(queue_id, topic, vesting_at) VALUES (?, ?, ?)
            ON CONFLICT(queue_id, topic) DO UPDATE SET vesting_at = min(vesting_at, excluded.vesting_at)
            """).execute(arguments: [key.queueID, key.topic, visibleAt])
    }

    /// Recomputes the pointer of `key` after its jobs changed: removed when the queue is empty,
    /// otherwise the earliest visible time, kept no earlier than `servedAt` (a serving time ≤ now)
    /// while the queue stays ready.
    static func refreshPointer(_ db: Database, _ key: QueueKey, servedAt: Int64?, now: Int64) throws {
        let earliest = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT min(visible_at) FROM jobs WHERE queue_id = ? AND topic = ?"),
            arguments: [key.queueID, key.topic])
        guard let earliest else {
            try db.cachedStatement(sql: "DELETE FROM queue_pointers WHERE queue_id = ? AND topic = ?")
                .execute(arguments: [key.queueID, key.topic])
            return
        }
        var vesting = earliest
        if let servedAt {
            vesting = max(earliest, servedAt)
        } else if let current = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT vesting_at FROM queue_pointers WHERE queue_id = ? AND topic = ?"),
            arguments: [key.queueID, key.topic]), current <= now {
            vesting = max(earliest, current)
        }
        try db.cachedStatement(sql: """
            INSERT INTO queue_pointers(queue_id, topic, vesting_at) VALUES (?, ?, ?)
            ON CONFLICT(queue_id, topic) DO UPDATE SET vesting_at = excluded.vesting_at
            """).execute(arguments: [key.queueID, key.topic, vesting])
    }
}
