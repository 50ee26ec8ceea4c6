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
            if let key = job.uniqueKey {
                let (id, inserted) = try insertUnique(db, job, key: key, visibleAt: visibleAt, now: now)
                ids.append(id)
                if !inserted { continue }
            } else {
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
            }
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

    /// Stores a job with a unique key unless its key is taken: by a live job of its topic (the
    /// `jobs_unique` index refuses the row) or by a hold (`unique_for`) not yet over. Returns the
    /// id of the job stored, or of the one holding the key, and whether it stored one.
    private static func insertUnique(_ db: Database, _ job: NewJob, key: String, visibleAt: Int64, now: Int64) throws -> (JobID, inserted: Bool) {
        let held = try RawStatement(db, "SELECT job_id FROM unique_holds WHERE topic = ?1 AND unique_key = ?2 AND held_until > ?3")
        held.bind(1, job.topic)
        held.bind(2, key)
        held.bind(3, now)
        defer { held.reset() }
        if try held.step() { return (JobID(rawValue: held.int64(0)), false) }
        let insert = try RawStatement(
            db,
            """
            INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(topic, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            """)
        insert.bind(1, job.queueID)
        insert.bind(2, job.topic)
        insert.bind(3, blob: job.payload)
        insert.bind(4, job.storedPriority)
        insert.bind(5, visibleAt)
        insert.bind(6, job.storedMaxRetries)
        insert.bind(7, now)
        insert.bind(8, key)
        try insert.run()
        guard db.changesCount == 1 else {
            let live = try RawStatement(db, "SELECT id FROM jobs WHERE topic = ?1 AND unique_key = ?2")
            live.bind(1, job.topic)
            live.bind(2, key)
            defer { live.reset() }
            guard try live.step() else { throw StoreError.invalidJob("unique key '\(key)' is taken but its job was not found") }
            return (JobID(rawValue: live.int64(0)), false)
        }
        let id = db.lastInsertedRowID
        if let uniqueFor = job.uniqueFor {
            let hold = try RawStatement(
                db,
                """
                INSERT INTO unique_holds(topic, unique_key, job_id, held_until) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT(topic, unique_key) DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until
                """)
            hold.bind(1, job.topic)
            hold.bind(2, key)
            hold.bind(3, id)
            hold.bind(4, now + uniqueFor.milliseconds)
            try hold.run()
        }
        return (JobID(rawValue: id), true)
    }
}
