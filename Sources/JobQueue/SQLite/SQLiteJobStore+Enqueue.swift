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
        // A job with a unique key whose key a live job of its topic holds is refused by the
        // `jobs_unique` index and stores nothing; NULL keys never conflict.
        let statement = try RawStatement(
            db,
            """
            INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(topic, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
            """)
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        // The earliest visible time and the jobs added per queue; runs of jobs for one queue skip
        // the dictionary.
        var added: [QueueKey: (visibleAt: Int64, jobs: Int)] = [:]
        var current: (queueID: String, topic: String, visibleAt: Int64, jobs: Int)?
        func add(_ run: (queueID: String, topic: String, visibleAt: Int64, jobs: Int)) {
            let key = QueueKey(queueID: run.queueID, topic: run.topic)
            let before = added[key] ?? (.max, 0)
            added[key] = (min(before.visibleAt, run.visibleAt), before.jobs + run.jobs)
        }
        for job in jobs {
            let visibleAt = job.visibleAt?.rawValue ?? now
            if let key = job.uniqueKey, let holder = try keyHolder(db, topic: job.topic, key: key, now: now, afterInsert: false) {
                ids.append(holder)
                continue
            }
            statement.reset()
            statement.bind(1, job.queueID)
            statement.bind(2, job.topic)
            statement.bind(3, blob: job.payload)
            statement.bind(4, job.storedPriority)
            statement.bind(5, visibleAt)
            statement.bind(6, job.storedMaxRetries)
            statement.bind(7, now)
            if let key = job.uniqueKey { statement.bind(8, key) }
            try statement.run()
            if let key = job.uniqueKey, db.changesCount == 0 {
                guard let holder = try keyHolder(db, topic: job.topic, key: key, now: now, afterInsert: true) else {
                    throw StoreError.invalidJob("unique key '\(key)' of topic \(job.topic) is taken, but by no job")
                }
                ids.append(holder)
                continue
            }
            let id = db.lastInsertedRowID
            ids.append(JobID(rawValue: id))
            if let key = job.uniqueKey, let uniqueFor = job.uniqueFor {
                try hold(db, topic: job.topic, key: key, job: id, until: (Timestamp(rawValue: now) + uniqueFor).rawValue)
            }
            if let run = current, run.queueID == job.queueID, run.topic == job.topic {
                current!.visibleAt = min(run.visibleAt, visibleAt)
                current!.jobs += 1
            } else {
                if let run = current { add(run) }
                current = (job.queueID, job.topic, visibleAt, 1)
            }
        }
        if let run = current { add(run) }
        for (key, run) in added {
            let pointer = StoreRules.pointerTime(forJobVisibleAt: Timestamp(rawValue: run.visibleAt), now: Timestamp(rawValue: now))
            try lowerPointer(db, key, to: pointer.rawValue)
            try count(db, key, jobs: run.jobs)
        }
        return ids
    }

    /// The job holding `key` of `topic`: before the insert, a hold (`unique_for`) not yet over;
    /// after an insert the `jobs_unique` index refused, the live job.
    private static func keyHolder(_ db: Database, topic: String, key: String, now: Int64, afterInsert: Bool) throws -> JobID? {
        let statement =
            afterInsert
            ? try RawStatement(db, "SELECT id FROM jobs WHERE topic = ?1 AND unique_key = ?2")
            : try RawStatement(db, "SELECT job_id FROM unique_holds WHERE topic = ?1 AND unique_key = ?2 AND held_until > ?3")
        defer { statement.reset() }
        statement.bind(1, topic)
        statement.bind(2, key)
        if !afterInsert { statement.bind(3, now) }
        return try statement.step() ? JobID(rawValue: statement.int64(0)) : nil
    }

    /// Keeps `key` of `topic` taken by `job` until `until`, whatever becomes of the job.
    private static func hold(_ db: Database, topic: String, key: String, job: Int64, until: Int64) throws {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO unique_holds(topic, unique_key, job_id, held_until) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT(topic, unique_key) DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until
            """)
        statement.bind(1, topic)
        statement.bind(2, key)
        statement.bind(3, job)
        statement.bind(4, until)
        try statement.run()
    }
}
