import Foundation
import GRDB

extension SQLiteJobStore {
    public func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey] {
        guard !topics.isEmpty, limit > 0 else { return [] }
        return try await pool.read { db in try Self.readyQueues(db, topics: topics, now: now.rawValue, limit: limit) }
    }

    /// One index range scan per topic that is not paused (cost: the ready queues returned, and
    /// the paused queues passed over), merged by vesting time.
    static func readyQueues(_ db: Database, topics: Set<String>, now: Int64, limit: Int) throws -> [QueueKey] {
        let statement = try RawStatement(
            db,
            """
            SELECT queue_id, vesting_at FROM queue_pointers
            WHERE topic = ?1 AND vesting_at <= ?2 AND \(notPaused)
            ORDER BY vesting_at LIMIT ?3
            """)
        var found: [(vesting: Int64, key: QueueKey)] = []
        for topic in try unpaused(db, topics) {
            statement.reset()
            statement.bind(1, topic)
            statement.bind(2, now)
            statement.bind(3, limit)
            while try statement.step() {
                found.append((statement.int64(1), QueueKey(queueID: statement.string(0), topic: topic)))
            }
        }
        if topics.count > 1 { found.sort { $0.vesting < $1.vesting } }
        return found.prefix(limit).map(\.key)
    }

    /// The condition that a pointer's queue (`?1` its topic) is not paused by itself.
    static let notPaused = """
        NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.topic = ?1 AND pauses.queue_id = queue_pointers.queue_id)
        """

    /// `topics` without the paused ones: one lookup each.
    static func unpaused(_ db: Database, _ topics: Set<String>) throws -> [String] {
        let paused = try RawStatement(db, "SELECT 1 FROM pauses WHERE topic = ?1 AND queue_id = ''")
        defer { paused.reset() }
        return try topics.filter { topic in
            paused.reset()
            paused.bind(1, topic)
            return try !paused.step()
        }
    }

    public func nextVisibleTime(topics: Set<String>, limits: [String: TopicLimits], now: Timestamp) async throws -> Timestamp? {
        guard !topics.isEmpty else { return nil }
        return try await pool.read { db in
            let statement = try RawStatement(
                db, "SELECT vesting_at FROM queue_pointers WHERE topic = ?1 AND \(Self.notPaused) ORDER BY vesting_at LIMIT 1")
            defer { statement.reset() }
            var earliest: Timestamp?
            for topic in try Self.unpaused(db, topics) {
                statement.reset()
                statement.bind(1, topic)
                guard try statement.step() else { continue }
                var next = Timestamp(rawValue: statement.int64(0))
                if let topicLimits = limits[topic], topicLimits.limitsTopic {
                    let usage = try Self.usage(db, topic: topic, limits: topicLimits, now: now.rawValue)
                    next = max(next, topicLimits.reopening(usage, now: now) ?? next)
                }
                earliest = min(earliest ?? next, next)
            }
            return earliest
        }
    }

    public func lease(queue: QueueKey, limit: Int, duration: Duration, owner: String, now: Timestamp) async throws -> [LeasedJob] {
        try await lease(takes: [[queue]], limits: BatchLimits(batchSize: limit), duration: duration, owner: owner, now: now)[0]
    }

    /// Scans the ready line and leases what `plan` makes of it, in one transaction: nil when no
    /// queue of `topics` is ready (nothing is written then).
    public func take(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limits: BatchLimits, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]? {
        guard !topics.isEmpty, scan > 0 else { return nil }
        let now = now.rawValue
        let expiry = now + duration.milliseconds
        let counted = Set(limits.topicLimits.filter { $0.value.countsRunning && topics.contains($0.key) }.keys)
        let newlyCounted = counted.subtracting(countedTopics.withLock { $0 })
        let taken = try await writer.write(durable: false) { db -> [[LeasedJob]]? in
            var allowance = TakeAllowance(limits.topicLimits)
            var open = topics
            if !counted.isEmpty { try Self.sweepSlots(db, topics: Array(counted), newlyCounted: newlyCounted, now: now) }
            for topic in allowance.topicsLimited where topics.contains(topic) {
                let usage = try Self.usage(db, topic: topic, limits: allowance.limits[topic]!, now: now)
                if !allowance.open(topic, usage: usage, now: Timestamp(rawValue: now)) { open.remove(topic) }
            }
            let ready = try Self.readyQueues(db, topics: open, now: now, limit: scan)
            if ready.isEmpty { return nil }
            let batches = try plan(ready).map { queues in
                try Self.fill(db, queues, limits: limits, allowance: &allowance, token: .unique(owner: owner), expiry: expiry, now: now)
            }
            if !counted.isEmpty { try Self.recordSlots(db, batches.joined().filter { counted.contains($0.topic) }) }
            try Self.hold(db, allowance.heldQueues, now: now)
            try Self.saveRateWindows(db, allowance.rateWindows(now: Timestamp(rawValue: now)))
            return batches
        }
        countedTopics.withLock { $0 = counted }
        return taken
    }

    /// Fills up to `takes.count` batches in one transaction: each take leases jobs from its queues,
    /// in the order given, within `limits`. Each take gets its own lease token. Leases need no fsync
    /// (see `GroupCommitWriter`).
    func lease(takes: [[QueueKey]], limits: BatchLimits, duration: Duration, owner: String, now: Timestamp) async throws -> [[LeasedJob]] {
        let tokens = takes.map { _ in LeaseToken.unique(owner: owner) }
        let now = now.rawValue
        let expiry = now + duration.milliseconds
        return try await writer.write(durable: false) { db in
            var allowance = TakeAllowance([:])
            return try zip(takes, tokens).map { queues, token in
                try Self.fill(db, queues, limits: limits, allowance: &allowance, token: token, expiry: expiry, now: now)
            }
        }
    }

    /// One batch from `queues` (see `BatchFill`), under one lease token.
    private static func fill(
        _ db: Database, _ queues: [QueueKey], limits: BatchLimits, allowance: inout TakeAllowance, token: LeaseToken, expiry: Int64, now: Int64
    ) throws -> [LeasedJob] {
        try BatchFill.batch(from: queues, limits: limits, allowance: &allowance) { queue, room in
            guard let maxBatches = limits.topicLimits[queue.topic]?.maxRunningPerQueue else {
                return (try lease(db, queue, limit: room, token: token, expiry: expiry, now: now), nil)
            }
            let running = try Self.running(db, queue, now: now)
            return (running < maxBatches ? try lease(db, queue, limit: room, token: token, expiry: expiry, now: now) : [], running)
        }
    }

    /// Leases up to `limit` visible jobs of `queue`, in order, and refreshes its pointer (reading
    /// one job more tells whether the queue stays ready, which the pointer then needs no search for).
    private static func lease(_ db: Database, _ queue: QueueKey, limit: Int, token: LeaseToken, expiry: Int64, now: Int64) throws -> [LeasedJob] {
        let candidates = try RawStatement(
            db,
            """
            SELECT id, payload, priority, attempt, max_retries, lease_token, lease_expires_at, visible_at FROM jobs INDEXED BY jobs_order
            WHERE queue_id = ?1 AND topic = ?2 AND visible_at <= ?3
            ORDER BY priority, visible_at, id LIMIT ?4
            """)
        candidates.bind(1, queue.queueID)
        candidates.bind(2, queue.topic)
        candidates.bind(3, now)
        candidates.bind(4, limit < Int.max ? limit + 1 : limit)
        var leased: [LeasedJob] = []
        var abandoned: [(id: JobID, attempt: Int, record: JobAttempt)] = []
        var read = 0
        while try candidates.step() {
            read += 1
            if read > limit { break }
            let id = JobID(rawValue: candidates.int64(0))
            let attempt = candidates.int(3)
            let maxRetries = candidates.int(4)
            if !candidates.isNull(5) && attempt > maxRetries {
                // Its runner vanished during the last run allowed: dead-letter rather than run again.
                let record = JobAttempt(
                    attempt: attempt, outcome: .lost, error: StoreRules.lostRunError, host: LeaseToken(rawValue: candidates.string(5)).owner,
                    finishedAt: Timestamp(rawValue: candidates.int64(6)))
                abandoned.append((id, attempt, record))
                continue
            }
            leased.append(
                LeasedJob(
                    id: id, queueID: queue.queueID, topic: queue.topic, payload: candidates.bytes(1),
                    priority: candidates.int(2), attempt: attempt + 1, maxRetries: maxRetries, lease: token,
                    visibleAt: Timestamp(rawValue: candidates.int64(7))))
        }
        candidates.reset()
        for job in abandoned {
            try bury(db, job.id, kind: .failed, reason: StoreRules.runnerVanishedReason(attempt: job.attempt), record: job.record.json, now: now)
        }
        // One statement for the whole batch (the ids are bound, in chunks SQLite's limits allow). A
        // job still holding an expired lease lost its last run: its history says so.
        var start = 0
        while start < leased.count {
            let chunk = leased[start..<min(start + 500, leased.count)]
            let take = try RawStatement(
                db,
                """
                UPDATE jobs SET attempt = attempt + 1, visible_at = ?1, lease_token = ?2, lease_expires_at = ?1,
                    history = \(lostRunAppended)
                WHERE id IN (\(RawStatement.placeholders(chunk.count, from: 3)))
                """)
            take.bind(1, expiry)
            take.bind(2, token.rawValue)
            for (offset, job) in chunk.enumerated() { take.bind(Int32(3 + offset), job.id.rawValue) }
            try take.run()
            start += chunk.count
        }
        if !leased.isEmpty { try recordLease(db, token, queue, jobs: leased.count, expiry: expiry) }
        try refreshPointer(db, queue, servedAt: now, now: now, stillReady: read > limit)
        return leased
    }

    /// SQL for a leased row's history with a `lost` record of its previous run appended, when a
    /// lease it still holds ran out.
    private static let lostRunAppended = historyAppending(
        """
        CASE WHEN lease_token IS NULL THEN NULL ELSE json_object(
            'attempt', attempt, 'outcome', 'lost', 'error', '\(StoreRules.lostRunError)',
            'host', \(LeaseToken.ownerSQL), 'finished_at', lease_expires_at) END
        """)

    @discardableResult
    public func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return try await writer.write(durable: false) { db in
            let statement = try RawStatement(
                db,
                """
                UPDATE jobs SET visible_at = ?1, lease_expires_at = ?1 WHERE id = ?2 AND lease_token = ?3
                """)
            var held = 0
            var extended: Set<LeaseToken> = []
            for (id, token) in leases {
                statement.reset()
                statement.bind(1, until.rawValue)
                statement.bind(2, id.rawValue)
                statement.bind(3, token.rawValue)
                try statement.run()
                if db.changesCount > 0 {
                    held += 1
                    extended.insert(token)
                }
            }
            let lease = try RawStatement(db, "UPDATE leases SET expires_at = ?1 WHERE lease_token = ?2")
            for token in extended {
                lease.reset()
                lease.bind(1, until.rawValue)
                lease.bind(2, token.rawValue)
                try lease.run()
            }
            return held
        }
    }
}
