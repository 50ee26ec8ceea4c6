import JobQueue
import PostgresNIO
import Synchronization

extension PostgresJobStore {
    public func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey] {
        guard !topics.isEmpty, limit > 0 else { return [] }
        return try await read { [self] transaction in
            try await transaction.rows("""
                SELECT queue_id, topic FROM \(unescaped: tables).queue_pointers
                WHERE topic = ANY(\(Array(topics))::text[]) AND vesting_at <= \(now.rawValue)
                ORDER BY vesting_at LIMIT \(limit)
                """).map { row in
                let (queueID, topic) = try row.decode((String, String).self)
                return QueueKey(queueID: queueID, topic: topic)
            }
        }
    }

    public func nextVisibleTime(topics: Set<String>) async throws -> Timestamp? {
        guard !topics.isEmpty else { return nil }
        return try await read { [self] transaction in
            try await transaction.first("""
                SELECT min(vesting_at) FROM \(unescaped: tables).queue_pointers WHERE topic = ANY(\(Array(topics))::text[])
                """, as: Int64?.self)?.map(Timestamp.init(rawValue:))
        }
    }

    /// Leases `queue` (waiting if another host's take holds it) and up to `limit` of its jobs.
    public func lease(queue: QueueKey, limit: Int, duration: Duration, owner: String, now: Timestamp) async throws -> [LeasedJob] {
        let token = nextToken(owner)
        return try await transaction { [self] transaction in
            try await lockPointers([queue], in: transaction)
            let jobs = try await lease(queue, limit: limit, token: token, expiry: now + duration, now: now, in: transaction)
            try await refreshPointers([queue], servedAt: now, now: now, in: transaction)
            return jobs
        }
    }

    /// Scans the ready line, skipping queues other hosts are taking at this moment, and fills the
    /// batches `plan` makes of it, in one transaction: nil when no queue is free and ready.
    public func take(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limit: Int, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]? {
        guard !topics.isEmpty, scan > 0 else { return nil }
        return try await transaction { [self] transaction in
            let ready = try await transaction.rows("""
                SELECT queue_id, topic FROM \(unescaped: tables).queue_pointers
                WHERE topic = ANY(\(Array(topics))::text[]) AND vesting_at <= \(now.rawValue)
                ORDER BY vesting_at LIMIT \(scan) FOR UPDATE SKIP LOCKED
                """).map { row in
                let (queueID, topic) = try row.decode((String, String).self)
                return QueueKey(queueID: queueID, topic: topic)
            }
            if ready.isEmpty { return nil }
            var batches: [[LeasedJob]] = []
            var served: Set<QueueKey> = []
            for queues in plan(ready) {
                let token = nextToken(owner)
                var batch: [LeasedJob] = []
                for (index, queue) in queues.enumerated() where index == 0 || batch.count < limit {
                    served.insert(queue)
                    batch += try await lease(queue, limit: limit - batch.count, token: token, expiry: now + duration, now: now, in: transaction)
                }
                batches.append(batch)
            }
            try await refreshPointers(served, servedAt: now, now: now, in: transaction)
            return batches
        }
    }

    /// Leases up to `limit` visible jobs of `queue` in order, skipping rows other transactions
    /// hold. A job whose runner vanished during its last allowed attempt is dead-lettered instead.
    private func lease(
        _ queue: QueueKey, limit: Int, token: LeaseToken, expiry: Timestamp, now: Timestamp, in transaction: PostgresTransaction
    ) async throws -> [LeasedJob] {
        let rows = try await transaction.rows("""
            WITH candidates AS (
                SELECT id, priority, visible_at, lease_token IS NOT NULL AND attempt > max_retries AS abandoned
                FROM \(unescaped: tables).jobs
                WHERE queue_id = \(queue.queueID) AND topic = \(queue.topic) AND visible_at <= \(now.rawValue)
                ORDER BY priority, visible_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED
            ), buried AS (
                INSERT INTO \(unescaped: tables).dead_letters
                    (id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at)
                SELECT j.id, j.queue_id, j.topic, j.payload, j.priority, j.max_retries, j.attempt, \(DeadLetter.Kind.failed.rawValue),
                    'lease expired during attempt ' || j.attempt || ' (runner vanished)', j.created_at, \(now.rawValue)
                FROM \(unescaped: tables).jobs j JOIN candidates c ON c.id = j.id WHERE c.abandoned
                RETURNING id
            ), removed AS (
                DELETE FROM \(unescaped: tables).jobs WHERE id IN (SELECT id FROM buried)
            ), leased AS (
                UPDATE \(unescaped: tables).jobs j SET attempt = j.attempt + 1, visible_at = \(expiry.rawValue),
                    lease_token = \(token.rawValue), lease_expires_at = \(expiry.rawValue)
                FROM candidates c WHERE j.id = c.id AND NOT c.abandoned
                RETURNING j.id, j.payload, j.priority, j.attempt, j.max_retries
            )
            SELECT l.id, l.payload, l.priority, l.attempt, l.max_retries
            FROM leased l JOIN candidates c ON c.id = l.id ORDER BY c.priority, c.visible_at, c.id
            """)
        return try rows.map { row in
            let (id, payload, priority, attempt, maxRetries) = try row.decode((Int64, ByteBuffer, Int, Int, Int).self)
            return LeasedJob(
                id: JobID(rawValue: id), queueID: queue.queueID, topic: queue.topic, payload: Array(payload.readableBytesView),
                priority: priority, attempt: attempt, maxRetries: maxRetries, lease: token)
        }
    }

    @discardableResult
    public func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        let held = leases.sorted { $0.key.rawValue < $1.key.rawValue }
        return try await read { [self] transaction in
            try await transaction.first("""
                WITH extended AS (
                    UPDATE \(unescaped: tables).jobs j SET visible_at = \(until.rawValue), lease_expires_at = \(until.rawValue)
                    FROM unnest(\(held.map(\.key.rawValue))::bigint[], \(held.map(\.value.rawValue))::text[]) AS l(id, token)
                    WHERE j.id = l.id AND j.lease_token = l.token
                    RETURNING 1
                )
                SELECT count(*) FROM extended
                """, as: Int.self) ?? 0
        }
    }

    /// A lease token unique to this lease act: the owner (unique per process) and a counter.
    func nextToken(_ owner: String) -> LeaseToken {
        LeaseToken(rawValue: "\(owner)#\(Self.leaseCounter.add(1, ordering: .relaxed).newValue)")
    }

    private static let leaseCounter = Atomic<Int>(0)
}
