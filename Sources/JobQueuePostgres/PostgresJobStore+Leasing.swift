import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey] {
        guard !topics.isEmpty, limit > 0 else { return [] }
        return try await autocommit { transaction in
            try await transaction.rows(PeekReadyQueues(scan: ScanReadyQueues(topics: Array(topics), now: now, limit: limit)))
        }
    }

    public func nextVisibleTime(topics: Set<String>, limits: [String: TopicLimits], now: Timestamp) async throws -> Timestamp? {
        guard !topics.isEmpty else { return nil }
        return try await autocommit { [self] transaction in
            let rows = try await transaction.rows(
                """
                SELECT topic, min(vesting_at) FROM \(unescaped: tables).queue_pointers
                WHERE topic = ANY(ARRAY(SELECT unnest(\(Array(topics))::text[]) EXCEPT \(unescaped: PausedFilter.pausedTopics(tables: "\(tables)."))))
                    AND \(unescaped: PausedFilter.queue(tables: "\(tables)."))
                GROUP BY topic
                """)
            var vesting: [String: Timestamp] = [:]
            for row in rows {
                let (topic, at) = try row.decode((String, Int64).self)
                vesting[topic] = Timestamp(rawValue: at)
            }
            let limited = vesting.keys.filter { limits[$0]?.limitsTopic == true }.sorted()
            for (topic, usage) in try await usage(limited, limits: limits, now: now, in: transaction) {
                let next = vesting[topic]!
                vesting[topic] = max(next, limits[topic]!.reopening(usage, now: now) ?? next)
            }
            return vesting.values.min()
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
        if topics.allSatisfy({ limits.topicLimits[$0]?.isEmpty ?? true }) {
            return try await takeUnlimited(topics: topics, scan: scan, plan: plan, limits: limits, duration: duration, owner: owner, now: now)
        }
        return try await transaction { [self] transaction in
            var allowance = TakeAllowance(limits.topicLimits)
            var open = topics
            let limited = allowance.topicsLimited.filter(topics.contains)
            let usage = try await lockedUsage(limited, limits: allowance.limits, now: now, in: transaction)
            for topic in limited where !(usage[topic].map { allowance.open(topic, usage: $0, now: now) } ?? false) {
                open.remove(topic)
            }
            if open.isEmpty { return nil }
            let ready = try await transaction.rows(ScanReadyQueues(topics: Array(open), now: now, limit: scan))
            if ready.isEmpty { return nil }
            var batches: [[LeasedJob]] = []
            var served: Set<QueueKey> = []
            for queues in plan(ready) {
                let token = LeaseToken.unique(owner: owner)
                batches.append(
                    try await BatchFill.batch(from: queues, limits: limits, allowance: &allowance) { queue, room in
                        served.insert(queue)
                        let lease = LeaseJobs(queue: queue, limit: room, token: token, expiry: now + duration, now: now)
                        guard let maxBatches = limits.topicLimits[queue.topic]?.maxRunningPerQueue else {
                            return (try await transaction.rows(lease), nil)
                        }
                        let rows = try await transaction.rows(LeaseJobsWithinQueueLimit(lease: lease, maxBatches: maxBatches))
                        return (rows.compactMap(\.job), rows.first?.batches)
                    })
            }
            // A queue this take brought to its limit is held in the write that refreshes it.
            let held = allowance.heldQueues
            try await refreshPointers(served, servedAt: now, now: now, holding: held.intersection(served), in: transaction)
            try await hold(held.subtracting(served), now: now, in: transaction)
            try await saveRateWindows(allowance.rateWindows(now: now), in: transaction)
            return batches
        }
    }

    /// A take of topics without limits in two round trips: the ready line read without locks,
    /// then one call of `take_batches` that locks, leases and refreshes (see
    /// `PostgresSchema.takeFunction`). Nil when the line is empty or another take holds every
    /// queue planned, as the locking scan of the general path would say.
    private func takeUnlimited(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limits: BatchLimits, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]? {
        let ready = try await autocommit { transaction in
            try await transaction.rows(PeekReadyQueues(scan: ScanReadyQueues(topics: Array(topics), now: now, limit: scan)))
        }
        if ready.isEmpty { return nil }
        let queues = plan(ready)
        let take = TakeBatches(
            plan: queues, limits: limits, tokens: queues.map { _ in LeaseToken.unique(owner: owner) }, expiry: now + duration, now: now)
        let rows = try await singleStatement { transaction in try await transaction.rows(take) }
        var batches = [[LeasedJob]](repeating: [], count: queues.count)
        for row in rows {
            switch row {
            case let .job(batch, job): batches[batch].append(job)
            case let .locked(count): if count == 0 { return nil }
            }
        }
        return batches
    }

    @discardableResult
    public func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return try await autocommit { transaction in
            try await transaction.rows(ExtendLeases(leases, until: until)).first ?? 0
        }
    }
}
