import GRDB

/// Keeping the pointer index in step with the jobs table, inside the caller's transaction.
///
/// A pointer's `vesting_at` is when its queue next has visible work. For a queue that has been
/// served, it is raised to the serving time, so ready queues are scanned least recently served
/// first: a tenant with a large backlog cannot keep the front of the line.
extension SQLiteJobStore {
    /// Lowers the pointer of `key` to `visibleAt` (creating it) after jobs were added; a queue
    /// held at its `max_running_per_queue` stays held (its new work waits for a slot anyway).
    static func lowerPointer(_ db: Database, _ key: QueueKey, to visibleAt: Int64) throws {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO queue_pointers(queue_id, topic, vesting_at) VALUES (?1, ?2, ?3)
            ON CONFLICT(queue_id, topic) DO UPDATE SET vesting_at = CASE WHEN held_from IS NULL THEN min(vesting_at, excluded.vesting_at) ELSE vesting_at END
            """)
        statement.bind(1, key.queueID)
        statement.bind(2, key.topic)
        statement.bind(3, visibleAt)
        try statement.run()
    }

    /// Recomputes the pointer of `key` after its jobs changed: removed when the queue is empty,
    /// otherwise the earliest visible time, kept no earlier than `servedAt` (a serving time ≤ now)
    /// while the queue stays ready. A held pointer (see `hold`) is released to when its queue was
    /// last served, unless `settled` (the one lease of the jobs just settled in the queue) still
    /// holds a job of it: a batch counts until its last job settles, and a queue released before
    /// would only be found at its limit by the next take; such a pointer is left as it is. A take
    /// that saw a visible job it left says so (`stillReady`): the pointer is then `servedAt`.
    static func refreshPointer(
        _ db: Database, _ key: QueueKey, servedAt: Int64?, now: Int64, settled: LeaseToken? = nil, stillReady: Bool = false
    ) throws {
        // The pointer's time is never set earlier than `floor`: when the queue was just served,
        // the time a held pointer is released to, or a current time that has come. In that last
        // case the pointer already says "ready": should a queue of many priorities hold no job
        // visible by then, the next take finds out (and refreshes it) rather than this search.
        var floor = servedAt
        var readyUnlessFound = false
        if servedAt == nil {
            let currentStatement = try RawStatement(db, "SELECT vesting_at, held_from FROM queue_pointers WHERE queue_id = ?1 AND topic = ?2")
            currentStatement.bind(1, key.queueID)
            currentStatement.bind(2, key.topic)
            var current: Int64?
            var heldFrom: Int64?
            if try currentStatement.step() {
                current = currentStatement.int64(0)
                heldFrom = currentStatement.isNull(1) ? nil : currentStatement.int64(1)
            }
            currentStatement.reset()
            if let heldFrom {
                if let settled, try stillHolds(db, key, settled) { return }
                floor = heldFrom
            } else if let current, current <= now {
                floor = current
                readyUnlessFound = true
            }
        }
        guard let earliest = stillReady ? servedAt : try earliestVisibleTime(db, key, floor: floor, searchAll: !readyUnlessFound) else {
            let delete = try RawStatement(db, "DELETE FROM queue_pointers WHERE queue_id = ?1 AND topic = ?2")
            delete.bind(1, key.queueID)
            delete.bind(2, key.topic)
            try delete.run()
            return
        }
        let upsert = try RawStatement(
            db,
            """
            INSERT INTO queue_pointers(queue_id, topic, vesting_at) VALUES (?1, ?2, ?3)
            ON CONFLICT(queue_id, topic) DO UPDATE SET vesting_at = excluded.vesting_at, held_from = NULL
            """)
        upsert.bind(1, key.queueID)
        upsert.bind(2, key.topic)
        upsert.bind(3, max(earliest, floor ?? earliest))
        try upsert.run()
    }

    /// How many priorities of a queue `earliestVisibleTime` seeks one by one before it scans the
    /// rest of the queue's index entries at once.
    static let prioritiesSought = 16

    /// The earliest visible time of `key`'s jobs (nil when it has none) or, as soon as a job
    /// visible by `floor` is found, that job's (a pointer is not set earlier than `floor`).
    ///
    /// Read from `jobs_order`, the index takes read anyway, one seek per priority (its first
    /// entry is its earliest), rather than from a second index of every job's visible time, which
    /// each enqueue, lease and settlement would have to move too. A queue uses few priorities;
    /// past ``prioritiesSought`` of them, the rest of its entries are read in one scan, or, unless
    /// `searchAll`, `floor` is returned as if a job were visible by then.
    static func earliestVisibleTime(_ db: Database, _ key: QueueKey, floor: Int64?, searchAll: Bool = true) throws -> Int64? {
        let first = try RawStatement(
            db, "SELECT priority, visible_at FROM jobs INDEXED BY jobs_order WHERE queue_id = ?1 AND topic = ?2 ORDER BY priority, visible_at LIMIT 1"
        )
        defer { first.reset() }
        first.bind(1, key.queueID)
        first.bind(2, key.topic)
        guard try first.step() else { return nil }
        var (priority, earliest) = (first.int64(0), first.int64(1))
        let next = try RawStatement(
            db,
            """
            SELECT priority, visible_at FROM jobs INDEXED BY jobs_order WHERE queue_id = ?1 AND topic = ?2 AND priority > ?3
            ORDER BY priority, visible_at LIMIT 1
            """)
        defer { next.reset() }
        for _ in 1..<prioritiesSought {
            if let floor, earliest <= floor { return earliest }
            next.reset()
            next.bind(1, key.queueID)
            next.bind(2, key.topic)
            next.bind(3, priority)
            guard try next.step() else { return earliest }
            priority = next.int64(0)
            earliest = min(earliest, next.int64(1))
        }
        if let floor, earliest <= floor || !searchAll { return min(earliest, floor) }
        let rest = try RawStatement(db, "SELECT min(visible_at) FROM jobs INDEXED BY jobs_order WHERE queue_id = ?1 AND topic = ?2 AND priority > ?3")
        defer { rest.reset() }
        rest.bind(1, key.queueID)
        rest.bind(2, key.topic)
        rest.bind(3, priority)
        return try rest.step() && !rest.isNull(0) ? min(earliest, rest.int64(0)) : earliest
    }

    /// True when `lease` holds a job of `key`, as the slots of its limited topic record it (a
    /// lease without slots is taken as ended).
    private static func stillHolds(_ db: Database, _ key: QueueKey, _ lease: LeaseToken) throws -> Bool {
        let statement = try RawStatement(
            db,
            """
            SELECT 1 FROM limit_slots s JOIN jobs j ON j.id = s.job_id
            WHERE s.topic = ?1 AND s.queue_id = ?2 AND s.lease_token = ?3 AND j.lease_token = ?3 LIMIT 1
            """)
        defer { statement.reset() }
        statement.bind(1, key.topic)
        statement.bind(2, key.queueID)
        statement.bind(3, lease.rawValue)
        return try statement.step()
    }
}

extension SQLiteJobStore {
    public func readyLag(now: Timestamp, queues: Int) async throws -> ReadyLag {
        try await pool.read { db in
            // Each topic in the pointer index, one index seek per topic (a loose index scan).
            let topics = try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE topics(topic) AS (
                        SELECT min(topic) FROM queue_pointers
                        UNION ALL
                        SELECT (SELECT min(topic) FROM queue_pointers WHERE topic > topics.topic) FROM topics WHERE topic IS NOT NULL
                    )
                    SELECT topic FROM topics WHERE topic IS NOT NULL
                    """)
            // Paused topics and queues are not waiting for a take: they are left out.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT queue_id, vesting_at FROM queue_pointers
                    WHERE topic = ?1 AND vesting_at <= ?2 AND \(Self.notPaused) ORDER BY vesting_at LIMIT ?3
                    """)
            var pointers: [String: [(queueID: String, vestingAt: Timestamp)]] = [:]
            for topic in try Self.unpaused(db, Set(topics)) {
                pointers[topic] = try Row.fetchAll(statement, arguments: [topic, now.rawValue, max(queues, 1)]).map {
                    (queueID: $0[0], vestingAt: Timestamp(rawValue: $0[1]))
                }
            }
            return ReadyLag(now: now, readyPointers: pointers, limit: queues)
        }
    }
}
