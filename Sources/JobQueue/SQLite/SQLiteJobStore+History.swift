import Foundation
import GRDB

extension SQLiteJobStore {
    public func job(_ id: JobID, now: Timestamp) async throws -> JobRecord? {
        try await pool.read { db in
            for table in JobState.Place.allCases {
                if let row = try Row.fetchOne(db, sql: "\(table.select) WHERE id = ?", arguments: [id.rawValue]) {
                    return table.record(row, now: now)
                }
            }
            return nil
        }
    }

    public func jobs(matching filter: JobFilter, limit: Int, now: Timestamp) async throws -> [JobRecord] {
        try await pool.read { db in
            var found: [JobRecord] = []
            for table in JobState.Place.allCases where filter.state.map({ $0.place == table }) ?? true {
                var conditions: [String] = []
                var arguments: StatementArguments = [:]
                if let queueID = filter.queueID {
                    conditions.append("queue_id = :queue")
                    arguments += ["queue": queueID]
                }
                if let topic = filter.topic {
                    conditions.append("topic = :topic")
                    arguments += ["topic": topic]
                }
                if table == .queued, let state = filter.state {
                    conditions.append(JobState.Place.queuedCondition(state))
                    arguments += ["now": now.rawValue]
                }
                if table == .dead, let state = filter.state {
                    conditions.append(state == .cancelled ? "kind = 'cancelled'" : "kind <> 'cancelled'")
                }
                let filterSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
                let rows = try Row.fetchAll(db, sql: "\(table.select) \(filterSQL) ORDER BY id DESC LIMIT \(limit)", arguments: arguments)
                found += rows.map { table.record($0, now: now) }
            }
            return Array(found.sorted { $0.id.rawValue > $1.id.rawValue }.prefix(limit))
        }
    }

    public func prune(completedBefore: Timestamp, deadBefore: Timestamp?, limit: Int) async throws -> Int {
        try await writer.write(durable: false) { db in
            try db.execute(
                sql: """
                    DELETE FROM completed_jobs WHERE id IN (
                        SELECT id FROM completed_jobs WHERE completed_at < ? ORDER BY completed_at LIMIT ?)
                    """, arguments: [completedBefore.rawValue, limit])
            var pruned = db.changesCount
            if let deadBefore {
                let filter = "WHERE id IN (SELECT id FROM dead_letters WHERE died_at < ? ORDER BY died_at, id LIMIT ?)"
                let arguments: StatementArguments = [deadBefore.rawValue, limit]
                pruned += try Self.deleteDeadLetters(db, filter, arguments, requeued: false).values.reduce(0, +)
            }
            // Leases that ran out hold nothing, and queues left with nothing have nothing to count.
            try db.execute(sql: "DELETE FROM leases WHERE expires_at <= ?", arguments: [Timestamp.now.rawValue])
            try Self.pruneEmptyCounts(db)
            try db.execute(
                sql: """
                    DELETE FROM unique_holds WHERE (topic, unique_key) IN (
                        SELECT topic, unique_key FROM unique_holds WHERE held_until < ? ORDER BY held_until LIMIT ?)
                    """, arguments: [min(completedBefore, .now).rawValue, limit])
            return pruned + db.changesCount
        }
    }
}

/// The three tables a job can be in, read into one shape: id, queue_id, topic, payload,
/// priority, max_retries, attempts, created_at, its time (`JobRecord.at`), lease expiry, error,
/// dead-letter kind, history.
extension JobState.Place {
    fileprivate var select: String {
        let columns = "id, queue_id, topic, payload, priority, max_retries"
        return switch self {
        case .queued: "SELECT \(columns), attempt, created_at, visible_at, lease_expires_at, last_error, NULL, history FROM jobs"
        case .dead: "SELECT \(columns), attempts, created_at, died_at, NULL, reason, kind, history FROM dead_letters"
        case .completed: "SELECT \(columns), attempts, created_at, completed_at, NULL, NULL, NULL, history FROM completed_jobs"
        }
    }

    /// The condition on the jobs table for a queued state (`:now` bound), as `status` counts.
    fileprivate static func queuedCondition(_ state: JobState) -> String {
        switch state {
        case .ready: "visible_at <= :now"
        case .scheduled: "visible_at > :now AND lease_token IS NULL"
        default: "lease_token IS NOT NULL AND lease_expires_at > :now"
        }
    }

    fileprivate func record(_ row: Row, now: Timestamp) -> JobRecord {
        let at = Timestamp(rawValue: row[8])
        let state: JobState =
            switch self {
            case .queued: .ofQueuedJob(visibleAt: at, leaseExpiresAt: (row[9] as Int64?).map(Timestamp.init(rawValue:)), now: now)
            case .dead: .ofDeadLetter((row[11] as String?).flatMap(DeadLetter.Kind.init(rawValue:)))
            case .completed: .completed
            }
        return JobRecord(
            id: JobID(rawValue: row[0]), queueID: row[1], topic: row[2], state: state, payload: [UInt8](row[3] as Data),
            priority: row[4], maxRetries: row[5], attempts: row[6], createdAt: Timestamp(rawValue: row[7]), at: at,
            error: row[10], deadKind: (row[11] as String?).flatMap(DeadLetter.Kind.init(rawValue:)),
            history: JobAttempt.history(fromJSON: row[12]))
    }
}
