import GRDB

/// What `status` counts, kept in step with the writes, inside the caller's transaction, so that
/// counting never reads every job:
/// - `queue_counts`: each queue's jobs, dead letters and cancelled jobs, changed once per queue
///   and transaction by the code that inserts or deletes them;
/// - `leases`: how many jobs of a queue each lease holds, and until when (a lease that ran out
///   holds nothing, whatever its row says);
/// - the `jobs_scheduled` index: the jobs put off to a later time and not leased.
///
/// A queue's ready jobs are then its jobs less those leased and those scheduled.
extension SQLiteJobStore {
    /// Adds to the counts of `key` (negative to remove). A row left at zero stays until the next
    /// prune (`pruneEmptyCounts`): the readers pass over it.
    static func count(_ db: Database, _ key: QueueKey, jobs: Int = 0, dead: Int = 0, cancelled: Int = 0) throws {
        guard jobs != 0 || dead != 0 || cancelled != 0 else { return }
        let upsert = try RawStatement(
            db,
            """
            INSERT INTO queue_counts(queue_id, topic, jobs, dead, cancelled) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(queue_id, topic) DO UPDATE SET
                jobs = jobs + excluded.jobs, dead = dead + excluded.dead, cancelled = cancelled + excluded.cancelled
            """)
        upsert.bind(1, key.queueID)
        upsert.bind(2, key.topic)
        upsert.bind(3, jobs)
        upsert.bind(4, dead)
        upsert.bind(5, cancelled)
        try upsert.run()
    }

    /// Removes the rows of queues left with nothing (see `count`).
    static func pruneEmptyCounts(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM queue_counts WHERE jobs = 0 AND dead = 0 AND cancelled = 0")
    }

    /// Counts `jobs` jobs of `key` moved into the dead letters as `kind` (negative: moved back).
    static func count(_ db: Database, _ key: QueueKey, movedToDeadLetters jobs: Int, kind: DeadLetter.Kind) throws {
        try count(db, key, jobs: -jobs, dead: kind == .cancelled ? 0 : jobs, cancelled: kind == .cancelled ? jobs : 0)
    }

    /// Records that `lease` now holds `jobs` more jobs of `key`, until `expiry`.
    static func recordLease(_ db: Database, _ lease: LeaseToken, _ key: QueueKey, jobs: Int, expiry: Int64) throws {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO leases(lease_token, queue_id, topic, jobs, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(lease_token, queue_id, topic) DO UPDATE SET jobs = jobs + excluded.jobs, expires_at = excluded.expires_at
            """)
        statement.bind(1, lease.rawValue)
        statement.bind(2, key.queueID)
        statement.bind(3, key.topic)
        statement.bind(4, jobs)
        statement.bind(5, expiry)
        try statement.run()
    }

    /// Records that `lease` holds `jobs` fewer jobs of `key` (settled, or cancelled while it ran);
    /// the row goes when it holds none, as it does when a batch settles at once: one statement.
    static func releaseFromLease(_ db: Database, _ lease: LeaseToken, _ key: QueueKey, jobs: Int) throws {
        func changes(_ sql: String) throws -> Int {
            let statement = try RawStatement(db, sql)
            statement.bind(1, lease.rawValue)
            statement.bind(2, key.queueID)
            statement.bind(3, key.topic)
            statement.bind(4, jobs)
            try statement.run()
            return db.changesCount
        }
        if try changes("DELETE FROM leases WHERE lease_token = ?1 AND queue_id = ?2 AND topic = ?3 AND jobs <= ?4") == 0 {
            _ = try changes("UPDATE leases SET jobs = jobs - ?4 WHERE lease_token = ?1 AND queue_id = ?2 AND topic = ?3")
        }
    }

    /// Every queue's counts at `now`, from the three sources above: one row per queue with jobs or
    /// dead letters, plus the scheduled jobs and the live leases.
    static func queueCounts(_ db: Database, now: Int64) throws -> [QueueCounts] {
        var totals: [QueueKey: (jobs: Int, dead: Int, cancelled: Int)] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT queue_id, topic, jobs, dead, cancelled FROM queue_counts WHERE jobs <> 0 OR dead <> 0 OR cancelled <> 0")
        {
            totals[QueueKey(queueID: row[0], topic: row[1])] = (row[2], row[3], row[4])
        }
        let scheduled = try perQueue(
            db,
            """
            SELECT queue_id, topic, count(*) FROM jobs INDEXED BY jobs_scheduled
            WHERE lease_token IS NULL AND visible_at > created_at AND visible_at > ? GROUP BY queue_id, topic
            """, now: now)
        let leased = try perQueue(db, "SELECT queue_id, topic, sum(jobs) FROM leases WHERE expires_at > ? GROUP BY queue_id, topic", now: now)
        return totals.map { key, total in
            QueueCounts(
                queueID: key.queueID, topic: key.topic, jobs: total.jobs, scheduled: scheduled[key] ?? 0, leased: leased[key] ?? 0,
                dead: total.dead, cancelled: total.cancelled)
        }
    }

    private static func perQueue(_ db: Database, _ sql: String, now: Int64) throws -> [QueueKey: Int] {
        Dictionary(
            try Row.fetchAll(db, sql: sql, arguments: [now]).map { (QueueKey(queueID: $0[0], topic: $0[1]), $0[2] as Int) },
            uniquingKeysWith: +)
    }
}
