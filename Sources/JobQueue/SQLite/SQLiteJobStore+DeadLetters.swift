import Foundation
import GRDB

extension SQLiteJobStore {
    public func deadLetters(matching selector: DeadLetterSelector, limit: Int?) async throws -> [DeadLetter] {
        try await pool.read { db in
            let (filter, arguments) = Self.whereClause(selector)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at
                    FROM dead_letters \(filter) ORDER BY \(selector.newestFirst ? "died_at DESC, id DESC" : "died_at, id") LIMIT \(limit ?? -1)
                    """, arguments: arguments)
            return rows.map { row in
                DeadLetter(
                    id: JobID(rawValue: row[0]), queueID: row[1], topic: row[2], payload: [UInt8](row[3] as Data),
                    priority: row[4], maxRetries: row[5], attempts: row[6],
                    kind: DeadLetter.Kind(rawValue: row[7]) ?? .failed, reason: row[8],
                    createdAt: Timestamp(rawValue: row[9]), diedAt: Timestamp(rawValue: row[10]))
            }
        }
    }

    public func retryDeadLetters(matching selector: DeadLetterSelector, now: Timestamp) async throws -> Int {
        defer { localChanges.signal() }
        return try await writer.write { db in
            let (filter, arguments) = Self.whereClause(selector)
            // The job keeps its id, so it keeps its place in enqueue order, and its history.
            try db.execute(
                sql: """
                    INSERT INTO jobs(id, queue_id, topic, payload, priority, visible_at, attempt, max_retries, created_at, last_error, history)
                    SELECT id, queue_id, topic, payload, priority, \(now.rawValue), 0, max_retries, created_at, reason, history
                    FROM dead_letters \(filter)
                    """, arguments: arguments)
            let moved = db.changesCount
            for key in try Self.deleteDeadLetters(db, filter, arguments, requeued: true).keys {
                try Self.lowerPointer(db, key, to: now.rawValue)
            }
            return moved
        }
    }

    public func purgeDeadLetters(matching selector: DeadLetterSelector) async throws -> Int {
        try await writer.write { db in
            let (filter, arguments) = Self.whereClause(selector)
            return try Self.deleteDeadLetters(db, filter, arguments, requeued: false).values.reduce(0, +)
        }
    }

    /// Deletes the dead letters `filter` selects and counts them out of their queues' counts (back
    /// among the queue's jobs when `requeued`); returns how many each queue lost.
    static func deleteDeadLetters(_ db: Database, _ filter: String, _ arguments: StatementArguments, requeued: Bool) throws -> [QueueKey: Int] {
        var deleted: [QueueKey: (dead: Int, cancelled: Int)] = [:]
        for row in try Row.fetchAll(db, sql: "DELETE FROM dead_letters \(filter) RETURNING queue_id, topic, kind", arguments: arguments) {
            let key = QueueKey(queueID: row[0], topic: row[1])
            if (row[2] as String) == DeadLetter.Kind.cancelled.rawValue {
                deleted[key, default: (0, 0)].cancelled += 1
            } else {
                deleted[key, default: (0, 0)].dead += 1
            }
        }
        for (key, gone) in deleted {
            try count(db, key, jobs: requeued ? gone.dead + gone.cancelled : 0, dead: -gone.dead, cancelled: -gone.cancelled)
        }
        return deleted.mapValues { $0.dead + $0.cancelled }
    }

    static func whereClause(_ selector: DeadLetterSelector) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let ids = selector.ids {
            conditions.append("id IN (\(ids.isEmpty ? "NULL" : ids.map { String($0.rawValue) }.joined(separator: ",")))")
        }
        if let queueID = selector.queueID {
            conditions.append("queue_id = ?")
            arguments += [queueID]
        }
        if let topic = selector.topic {
            conditions.append("topic = ?")
            arguments += [topic]
        }
        if let search = selector.search {
            conditions.append("instr(lower(queue_id || char(10) || topic || char(10) || reason), lower(?)) > 0")
            arguments += [search]
        }
        if let kind = selector.kind {
            conditions.append("kind = ?")
            arguments += [kind.rawValue]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
