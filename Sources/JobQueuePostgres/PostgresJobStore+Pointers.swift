import JobQueue
import PostgresNIO

/// Keeping the pointer index in step with the jobs table, inside the caller's transaction.
///
/// A pointer's `vesting_at` is when its queue next has visible work; for a queue just served it
/// is raised to the serving time, so ready queues are scanned least recently served first.
/// A pointer row is locked before its queue's earliest job is read: an enqueue that committed
/// meanwhile is then seen, and the pointer is never raised past work that is ready.
extension PostgresJobStore {
    /// Locks the pointers of `keys`, in key order (so concurrent transactions cannot deadlock).
    func lockPointers(_ keys: [QueueKey], in transaction: PostgresTransaction) async throws {
        if keys.isEmpty { return }
        let keys = Set(keys).sorted { ($0.queueID, $0.topic) < ($1.queueID, $1.topic) }
        try await transaction.run("""
            SELECT 1 FROM \(unescaped: tables).queue_pointers
            WHERE (queue_id, topic) IN (SELECT * FROM unnest(\(keys.map(\.queueID))::text[], \(keys.map(\.topic))::text[]))
            ORDER BY queue_id, topic FOR UPDATE
            """)
    }

    /// Recomputes the (locked) pointers of `keys` after their jobs changed: removed when the queue
    /// is empty, otherwise its earliest visible time, kept no earlier than `servedAt` (a serving
    /// time ≤ now) or than a current pointer that is already due.
    func refreshPointers(_ keys: Set<QueueKey>, servedAt: Timestamp?, now: Timestamp, in transaction: PostgresTransaction) async throws {
        if keys.isEmpty { return }
        let keys = Array(keys)
        try await transaction.run("""
            WITH earliest AS (
                SELECT k.queue_id, k.topic,
                    (SELECT min(visible_at) FROM \(unescaped: tables).jobs j WHERE j.queue_id = k.queue_id AND j.topic = k.topic) AS at
                FROM unnest(\(keys.map(\.queueID))::text[], \(keys.map(\.topic))::text[]) AS k(queue_id, topic)
            ), removed AS (
                DELETE FROM \(unescaped: tables).queue_pointers p USING earliest e
                WHERE e.at IS NULL AND p.queue_id = e.queue_id AND p.topic = e.topic
            )
            UPDATE \(unescaped: tables).queue_pointers p SET vesting_at = CASE
                WHEN \(servedAt?.rawValue)::bigint IS NOT NULL THEN greatest(e.at, \(servedAt?.rawValue)::bigint)
                WHEN p.vesting_at <= \(now.rawValue) THEN greatest(e.at, p.vesting_at)
                ELSE e.at END
            FROM earliest e WHERE e.at IS NOT NULL AND p.queue_id = e.queue_id AND p.topic = e.topic
            """)
    }
}
