import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey] {
        guard !topics.isEmpty, limit > 0 else { return [] }
        var binds = PostgresBindings(capacity: 3)
        binds.append(Array(topics))
        binds.append(now.rawValue)
        binds.append(limit)
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT queue_id, topic FROM \(tables).queue_pointers
                WHERE topic = ANY(\(PausedFilter.topics("$1::text[]", tables: "\(tables).")))
                    AND vesting_at <= $2 AND \(PausedFilter.queue(tables: "\(tables)."))
                ORDER BY vesting_at LIMIT $3
                """, binds: binds)
        return try await autocommit { transaction in
            try await transaction.rows(query).map { row in
                let (queueID, topic) = try row.decode((String, String).self)
                return QueueKey(queueID: queueID, topic: topic)
            }
        }
    }

    public func nextVisibleTime(topics: Set<String>) async throws -> Timestamp? {
        guard !topics.isEmpty else { return nil }
        var binds = PostgresBindings(capacity: 1)
        binds.append(Array(topics))
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT min(vesting_at) FROM \(tables).queue_pointers
                WHERE topic = ANY(\(PausedFilter.topics("$1::text[]", tables: "\(tables)."))) AND \(PausedFilter.queue(tables: "\(tables)."))
                """, binds: binds)
        return try await autocommit { transaction in
            try await transaction.first(query, as: Int64?.self)?.map(Timestamp.init(rawValue:))
        }
    }

    /// Leases `queue` (waiting if another host's take holds it) and up to `limit` of its jobs.
    public func lease(queue: QueueKey, limit: Int, duration: Duration, owner: String, now: Timestamp) async throws -> [LeasedJob] {
        let token = LeaseToken.unique(owner: owner)
        return try await transaction { [self] transaction in
            try await lockPointers([queue], in: transaction)
            let jobs = try await transaction.rows(LeaseJobs(queue: queue, limit: limit, token: token, expiry: now + duration, now: now))
            try await refreshPointers([queue], servedAt: now, now: now, in: transaction)
            return jobs
        }
    }

    /// Scans the ready line, skipping queues other hosts are taking at this moment, and fills the
    /// batches `plan` makes of it, in one transaction: nil when no queue is free and ready.
    public func take(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limits: BatchLimits, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]? {
        guard !topics.isEmpty, scan > 0 else { return nil }
        return try await transaction { [self] transaction in
            let ready = try await transaction.rows(ScanReadyQueues(topics: Array(topics), now: now, limit: scan))
            if ready.isEmpty { return nil }
            var batches: [[LeasedJob]] = []
            var served: Set<QueueKey> = []
            for queues in plan(ready) {
                let token = LeaseToken.unique(owner: owner)
                batches.append(
                    try await BatchFill.batch(from: queues, limits: limits) { queue, room in
                        served.insert(queue)
                        return try await transaction.rows(LeaseJobs(queue: queue, limit: room, token: token, expiry: now + duration, now: now))
                    })
            }
            try await refreshPointers(served, servedAt: now, now: now, in: transaction)
            return batches
        }
    }

    @discardableResult
    public func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return try await autocommit { transaction in
            try await transaction.rows(ExtendLeases(leases, until: until)).first ?? 0
        }
    }
}
