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
            let moving = try Self.deadLetterCounts(db, filter, arguments)
            // The job keeps its id, so it keeps its place in enqueue order, and its history.
            try db.execute(
                sql: """
                    INSERT INTO jobs(id, queue_id, topic, payload, priority, visible_at, attempt, max_retries, created_at, last_error, history)
                    SELECT id, queue_id, topic, payload, priority, \(now.rawValue), 0, max_retries, created_at, reason, history
                    FROM dead_letters \(filter)
                    """, arguments: arguments)
            let moved = db.changesCount
            try db.execute(sql: "DELETE FROM dead_letters \(filter)", arguments: arguments)
            for (key, dead, cancelled) in moving {
                try Self.lowerPointer(db, key, to: now.rawValue)
                try Self.count(db, key, jobs: dead + cancelled, dead: -dead, cancelled: -cancelled)
            }
            return moved
        }
    }

    public func purgeDeadLetters(matching selector: DeadLetterSelector) async throws -> Int {
        try await writer.write { db in
            let (filter, arguments) = Self.whereClause(selector)
            let purging = try Self.deadLetterCounts(db, filter, arguments)
            try db.execute(sql: "DELETE FROM dead_letters \(filter)", arguments: arguments)
            for (key, dead, cancelled) in purging { try Self.count(db, key, dead: -dead, cancelled: -cancelled) }
            return db.changesCount
        }
    }

    /// The dead letters `filter` selects, counted per queue: failed or discarded, and cancelled.
    static func deadLetterCounts(_ db: Database, _ filter: String, _ arguments: StatementArguments) throws -> [(QueueKey, Int, Int)] {
        try Row.fetchAll(
            db, sql: "SELECT queue_id, topic, sum(kind <> 'cancelled'), sum(kind = 'cancelled') FROM dead_letters \(filter) GROUP BY queue_id, topic",
            arguments: arguments
        ).map { (QueueKey(queueID: $0[0], topic: $0[1]), $0[2], $0[3]) }
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
