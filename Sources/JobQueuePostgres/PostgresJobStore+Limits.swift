import JobQueue
import PostgresNIO

/// Reading and keeping what topics' limits are checked against, inside the caller's transaction
/// (see `TakeAllowance`). Running batches are the distinct lease tokens of leased jobs, found
/// through the partial index `jobs_running`, which holds leased jobs only.
///
/// Hosts take turns where a limit is shared: a take locks the `rate_windows` row of each topic
/// with topic-wide limits (creating it) before it counts, passing over a topic whose row another
/// take holds; a queue's running count is read under the queue's pointer lock, which the scan
/// holds (see `LeaseJobsWithinQueueLimit`). Each statement after a
/// lock reads a fresh snapshot (READ COMMITTED), so it sees every lease committed before the lock
/// was granted.
extension PostgresJobStore {
    /// Locks the limit rows of those of `topics` no other take holds at this moment and reads
    /// what `limits` of each are checked against; the others are left out (this take passes
    /// over them, as over queues another host is taking, instead of waiting for it).
    func lockedUsage(
        _ topics: [String], limits: [String: TopicLimits], now: Timestamp, in transaction: PostgresTransaction
    ) async throws
        -> [String: TopicUsage]
    {
        if topics.isEmpty { return [:] }
        let lock = { [tables] (topics: [String]) in
            try await transaction.all(
                "SELECT topic FROM \(unescaped: tables).rate_windows WHERE topic = ANY(\(topics)::text[]) ORDER BY topic FOR UPDATE SKIP LOCKED",
                as: String.self)
        }
        var locked = try await lock(topics)
        if locked.count < topics.count {
            // A topic's first take creates its row (others may hold theirs: they stay left out).
            let missing = Set(topics).subtracting(locked).sorted()
            try await transaction.run(
                """
                INSERT INTO \(unescaped: tables).rate_windows (topic, starts) SELECT unnest(\(missing)::text[]), '{}'
                ON CONFLICT (topic) DO NOTHING
                """)
            locked += try await lock(missing)
        }
        return try await usage(locked, limits: limits, now: now, in: transaction)
    }

    /// What `limits` of each of `topics` are checked against at `now` (no locks).
    func usage(
        _ topics: [String], limits: [String: TopicLimits], now: Timestamp, in transaction: PostgresTransaction
    ) async throws
        -> [String: TopicUsage]
    {
        if topics.isEmpty { return [:] }
        let rows = try await transaction.rows(
            """
            SELECT t.topic, r.count, r.earliest, coalesce(w.starts, '{}')
            FROM unnest(\(topics)::text[]) AS t(topic)
            CROSS JOIN LATERAL (
                SELECT count(DISTINCT lease_token) AS count, min(lease_expires_at) AS earliest FROM \(unescaped: tables).jobs j
                WHERE j.topic = t.topic AND j.lease_token IS NOT NULL AND j.lease_expires_at > \(now.rawValue)
            ) r
            LEFT JOIN \(unescaped: tables).rate_windows w ON w.topic = t.topic
            """)
        var usage: [String: TopicUsage] = [:]
        for row in rows {
            let (topic, running, earliest, starts) = try row.decode((String, Int, Int64?, [Int64]).self)
            usage[topic] = TopicUsage(
                running: limits[topic]?.maxRunning == nil ? 0 : running, earliestExpiry: earliest.map(Timestamp.init(rawValue:)),
                starts: starts.map(Timestamp.init(rawValue:)))
        }
        return usage
    }

    /// Holds the (locked) pointers of `queues`, found at their `max_running_per_queue` by a take
    /// that did not serve them (those it served are held by `RefreshPointers`): raised to the
    /// earliest expiry of their running leases, so the scan passes over them until then, with
    /// `held_from` keeping when they were last served. New jobs leave a held pointer alone;
    /// the end of a batch holding them releases them to that time (`RefreshPointers`).
    func hold(_ queues: Set<QueueKey>, now: Timestamp, in transaction: PostgresTransaction) async throws {
        if queues.isEmpty { return }
        try await transaction.run(
            """
            UPDATE \(unescaped: tables).queue_pointers p SET held_from = coalesce(p.held_from, least(p.vesting_at, \(now.rawValue))),
                vesting_at = greatest(p.vesting_at, coalesce((
                SELECT min(lease_expires_at) FROM \(unescaped: tables).jobs j
                WHERE j.topic = p.topic AND j.queue_id = p.queue_id AND j.lease_token IS NOT NULL AND j.lease_expires_at > \(now.rawValue)
            ), p.vesting_at))
            FROM unnest(\(queues.map(\.queueID))::text[], \(queues.map(\.topic))::text[]) AS k(queue_id, topic)
            WHERE p.queue_id = k.queue_id AND p.topic = k.topic
            """)
    }

    /// Saves the rate windows a take changed (their rows are locked).
    func saveRateWindows(_ windows: [String: [Timestamp]], in transaction: PostgresTransaction) async throws {
        for (topic, starts) in windows {
            try await transaction.run(
                "UPDATE \(unescaped: tables).rate_windows SET starts = \(starts.map(\.rawValue))::bigint[] WHERE topic = \(topic)")
        }
    }

    /// Every rate-limited topic's recorded starts (for status).
    func rateWindows(in transaction: PostgresTransaction) async throws -> [String: [Timestamp]] {
        var windows: [String: [Timestamp]] = [:]
        for row in try await transaction.rows("SELECT topic, starts FROM \(unescaped: tables).rate_windows WHERE cardinality(starts) > 0") {
            let (topic, starts) = try row.decode((String, [Int64]).self)
            windows[topic] = starts.map(Timestamp.init(rawValue:))
        }
        return windows
    }
}
