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
        _ = try await transaction.rows(LockPointers(keys: Array(Set(keys))))
    }

    /// Recomputes the (locked) pointers of `keys` after their jobs changed, holding those in
    /// `holding`, and leaving a held queue held while the one lease its `settled` jobs held still
    /// holds another of its jobs (see `RefreshPointers`).
    func refreshPointers(
        _ keys: Set<QueueKey>, servedAt: Timestamp?, now: Timestamp, holding: Set<QueueKey> = [],
        settled: [QueueKey: Set<LeaseToken>] = [:], in transaction: PostgresTransaction
    ) async throws {
        if keys.isEmpty { return }
        _ = try await transaction.rows(
            RefreshPointers(
                keys: Array(keys), servedAt: servedAt, now: now, holding: holding,
                settled: settled.compactMapValues(StoreRules.heldLease(settled:))))
    }
}

extension PostgresJobStore {
    public func readyLag(now: Timestamp, queues: Int) async throws -> ReadyLag {
        try await autocommit { [self] transaction in
            // Each topic in the pointer index, one index seek per topic (a loose index scan), and
            // its longest-waiting ready queues; paused topics and queues are not waiting for a take.
            let rows = try await transaction.rows(
                """
                WITH RECURSIVE topics(topic) AS (
                    SELECT min(topic) FROM \(unescaped: tables).queue_pointers
                    UNION ALL
                    SELECT (SELECT min(topic) FROM \(unescaped: tables).queue_pointers WHERE topic > topics.topic)
                    FROM topics WHERE topic IS NOT NULL
                )
                SELECT t.topic, p.queue_id, p.vesting_at FROM topics t
                CROSS JOIN LATERAL (
                    SELECT queue_id, vesting_at FROM \(unescaped: tables).queue_pointers
                    WHERE queue_pointers.topic = t.topic AND vesting_at <= \(now.rawValue)
                        AND \(unescaped: PausedFilter.queue(tables: "\(tables)."))
                    ORDER BY vesting_at LIMIT \(Int64(max(queues, 1)))
                ) p
                WHERE t.topic IS NOT NULL
                    AND t.topic NOT IN (\(unescaped: PausedFilter.pausedTopics(tables: "\(tables).")))
                ORDER BY t.topic, p.vesting_at
                """)
            var pointers: [String: [(queueID: String, vestingAt: Timestamp)]] = [:]
            for row in rows {
                let (topic, queueID, vestingAt) = try row.decode((String, String, Int64).self)
                pointers[topic, default: []].append((queueID, Timestamp(rawValue: vestingAt)))
            }
            return ReadyLag(now: now, readyPointers: pointers, limit: queues)
        }
    }
}
