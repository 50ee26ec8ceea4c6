import Foundation
import GRDB

extension SQLiteJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        try NewJob.validate(jobs)
        let now = Timestamp.now.rawValue
        let ids = try await writer.write { db in try Self.insert(db, jobs, now: now) }
        localChanges.signal()
        return ids
    }

    /// Inserts jobs and lowers their queues' pointers, inside the caller's transaction.
    static func insert(_ db: Database, _ jobs: [NewJob], now: Int64) throws -> [JobID] {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        // The earliest visible time per queue; runs of jobs for one queue skip the dictionary.
        var earliest: [QueueKey: Int64] = [:]
        var current: (queueID: String, topic: String, visibleAt: Int64)?
        for job in jobs {
            let visibleAt = job.visibleAt?.rawValue ?? now
            statement.reset()
            statement.bind(1, job.queueID)
            statement.bind(2, job.topic)
            statement.bind(3, blob: job.payload)
            statement.bind(4, job.storedPriority)
            statement.bind(5, visibleAt)
            statement.bind(6, job.storedMaxRetries)
            statement.bind(7, now)
            try statement.run()
            ids.append(JobID(rawValue: db.lastInsertedRowID))
            if let run = current, run.queueID == job.queueID, run.topic == job.topic {
                current!.visibleAt = min(run.visibleAt, visibleAt)
            } else {
                if let run = current {
                    let key = QueueKey(queueID: run.queueID, topic: run.topic)
                    earliest[key] = min(earliest[key] ?? .max, run.visibleAt)
                }
                current = (job.queueID, job.topic, visibleAt)
            }
        }
        if let run = current {
            let key = QueueKey(queueID: run.queueID, topic: run.topic)
            earliest[key] = min(earliest[key] ?? .max, run.visibleAt)
        }
        for (key, visibleAt) in earliest {
            let pointer = StoreRules.pointerTime(forJobVisibleAt: Timestamp(rawValue: visibleAt), now: Timestamp(rawValue: now))
            try lowerPointer(db, key, to: pointer.rawValue)
        }
        return ids
    }
}
