import Foundation
import GRDB

extension SQLiteJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        for job in jobs {
            if let problem = job.validationError() { throw StoreError.invalidJob(problem) }
        }
        let now = Timestamp.now.rawValue
        let ids = try await writer.write { db in try Self.insert(db, jobs, now: now) }
        localChanges.signal()
        return ids
    }

    /// Inserts jobs and lowers their queues' pointers, inside the caller's transaction.
    static func insert(_ db: Database, _ jobs: [NewJob], now: Int64) throws -> [JobID] {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        var earliest: [QueueKey: Int64] = [:]
        for job in jobs {
            let visibleAt = job.visibleAt?.rawValue ?? now
            try statement.execute(arguments: [
                job.queueID, job.topic, Data(job.payload), job.priority ?? TopicPolicy.default.priority,
                visibleAt, job.maxRetries ?? TopicPolicy.default.maxRetries, now,
            ])
            ids.append(JobID(rawValue: db.lastInsertedRowID))
            let key = QueueKey(queueID: job.queueID, topic: job.topic)
            earliest[key] = min(earliest[key] ?? .max, visibleAt)
        }
        for (key, visibleAt) in earliest {
            try lowerPointer(db, key, to: visibleAt)
        }
        return ids
    }
}
