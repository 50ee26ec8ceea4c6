import GRDB

extension SQLiteJobStore {
    @discardableResult
    public func settle(_ settlements: [Settlement]) async throws -> [Bool] {
        guard !settlements.isEmpty else { return [] }
        let now = Timestamp.now.rawValue
        let plan = SettlementPlan(settlements)
        return try await writer.write { db in
            // Per queue: each lease's jobs settled, and the jobs that left the table done.
            var settled: [QueueKey: [LeaseToken: Int]] = [:]
            var done: [QueueKey: Int] = [:]
            var applied = [Bool](repeating: false, count: settlements.count)
            for index in plan.oneByOne {
                let settlement = settlements[index]
                guard let key = try Self.heldQueue(db, settlement.job, settlement.lease) else { continue }
                settled[key, default: [:]][settlement.lease, default: 0] += 1
                if try Self.apply(db, settlement, now: now) { done[key, default: 0] += 1 }
                applied[index] = true
            }
            for (lease, indices) in plan.completionsByLease {
                let deleted = try Self.complete(db, indices.map { settlements[$0].job }, lease: lease)
                for index in indices {
                    guard let key = deleted[settlements[index].job] else { continue }
                    settled[key, default: [:]][lease, default: 0] += 1
                    done[key, default: 0] += 1
                    applied[index] = true
                }
            }
            for (key, jobs) in done { try Self.count(db, key, jobs: -jobs) }
            for (key, leases) in settled {
                for (lease, jobs) in leases { try Self.releaseFromLease(db, lease, key, jobs: jobs) }
            }
            let followUps = plan.followUps(applied: applied)
            if !followUps.isEmpty {
                _ = try Self.insert(db, followUps, now: now)
            }
            for (key, leases) in settled {
                try Self.refreshPointer(db, key, servedAt: nil, now: now, settled: StoreRules.heldLease(settled: Set(leases.keys)))
            }
            return applied
        }
    }

    /// Deletes the jobs among `ids` still held under `lease`; returns the queue of each one deleted.
    private static func complete(_ db: Database, _ ids: [JobID], lease: LeaseToken) throws -> [JobID: QueueKey] {
        var deleted: [JobID: QueueKey] = [:]
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(start + 500, ids.count)]
            let statement = try RawStatement(
                db,
                """
                DELETE FROM jobs WHERE lease_token = ?1 AND id IN (\(RawStatement.placeholders(chunk.count, from: 2)))
                RETURNING id, queue_id, topic
                """)
            statement.bind(1, lease.rawValue)
            for (offset, id) in chunk.enumerated() { statement.bind(Int32(2 + offset), id.rawValue) }
            var previous: QueueKey?
            while try statement.step() {
                // A batch's jobs nearly always share one queue: reuse its key rather than rebuild it.
                let queueID = statement.string(1)
                let topic = statement.string(2)
                let key = previous.flatMap { $0.queueID == queueID && $0.topic == topic ? $0 : nil } ?? QueueKey(queueID: queueID, topic: topic)
                deleted[JobID(rawValue: statement.int64(0))] = key
                previous = key
            }
            start += chunk.count
        }
        return deleted
    }

    /// The queue of `job` if it is still held under `lease`.
    private static func heldQueue(_ db: Database, _ job: JobID, _ lease: LeaseToken) throws -> QueueKey? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT queue_id, topic FROM jobs WHERE id = ? AND lease_token = ?"),
            arguments: [job.rawValue, lease.rawValue])
        return row.map { QueueKey(queueID: $0[0], topic: $0[1]) }
    }

    /// Applies a settlement whose lease still holds its job; true when the job is done (deleted,
    /// or kept as completed), which the caller counts. A buried job is counted by `bury`.
    private static func apply(_ db: Database, _ settlement: Settlement, now: Int64) throws -> Bool {
        let id = settlement.job.rawValue
        let record = settlement.record?.json
        switch settlement.action {
        case .complete:
            try db.cachedStatement(sql: "DELETE FROM jobs WHERE id = ?").execute(arguments: [id])
            return true
        case .keep:
            try db.cachedStatement(
                sql: """
                    INSERT INTO completed_jobs(id, queue_id, topic, payload, priority, max_retries, attempts, history, created_at, completed_at)
                    SELECT id, queue_id, topic, payload, priority, max_retries, attempt, \(historyAppending(":record")), created_at, :now
                    FROM jobs WHERE id = :id
                    """
            ).execute(arguments: ["record": record, "now": now, "id": id])
            try db.cachedStatement(sql: "DELETE FROM jobs WHERE id = ?").execute(arguments: [id])
            return true
        case let .retry(at, error):
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET visible_at = :at, last_error = coalesce(:error, last_error),
                        lease_token = NULL, lease_expires_at = NULL, history = \(historyAppending(":record"))
                    WHERE id = :id
                    """
            ).execute(arguments: ["at": at.rawValue, "error": error, "record": record, "id": id])
        case let .bury(kind, reason):
            try bury(db, settlement.job, kind: kind, reason: reason, record: record, now: now)
        case .release:
            try db.cachedStatement(
                sql: """
                    UPDATE jobs SET attempt = max(attempt - 1, 0), visible_at = ?, lease_token = NULL, lease_expires_at = NULL
                    WHERE id = ?
                    """
            ).execute(arguments: [now, id])
        }
        return false
    }

    /// Moves a job into the dead-letter store with its history, `record` (JSON) appended when
    /// given, and counts it (the caller refreshes its queue's pointer and releases its lease).
    static func bury(_ db: Database, _ job: JobID, kind: DeadLetter.Kind, reason: String, record: String?, now: Int64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO dead_letters(id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at, history)
                SELECT id, queue_id, topic, payload, priority, max_retries, attempt, :kind, :reason, created_at, :now,
                    \(historyAppending(":record"))
                FROM jobs WHERE id = :id
                """
        ).execute(arguments: ["kind": kind.rawValue, "reason": reason, "now": now, "record": record, "id": job.rawValue])
        let deleted = try RawStatement(db, "DELETE FROM jobs WHERE id = ?1 RETURNING queue_id, topic")
        deleted.bind(1, job.rawValue)
        let key = try deleted.step() ? QueueKey(queueID: deleted.string(0), topic: deleted.string(1)) : nil
        deleted.reset()
        if let key { try count(db, key, movedToDeadLetters: 1, kind: kind) }
    }

    /// SQL for the row's `history` with `record` (an SQL expression of one JSON record, or NULL
    /// for none) appended, the oldest runs dropped beyond `StoreRules.historyLength`.
    static func historyAppending(_ record: String) -> String {
        """
        CASE WHEN \(record) IS NULL THEN history
            WHEN json_array_length(history) >= \(StoreRules.historyLength) THEN json_remove(json_insert(history, '$[#]', json(\(record))), '$[0]')
            ELSE json_insert(history, '$[#]', json(\(record))) END
        """
    }
}
