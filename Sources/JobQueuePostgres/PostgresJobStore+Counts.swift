import JobQueue
import PostgresNIO

/// Reading and folding the counts `PostgresSchema.counts` keeps.
extension PostgresJobStore {
    /// Every queue's counts at `now`: the folded counts and the changes not yet folded, added up
    /// per queue, with the scheduled jobs (`jobs_scheduled`) and the live leases (`jobs_running`).
    func queueCounts(now: Timestamp, in transaction: PostgresTransaction) async throws -> [QueueCounts] {
        let now = now.rawValue
        var scheduled: [QueueKey: Int] = [:]
        for row in try await transaction.rows(
            """
            SELECT queue_id, topic, count(*) FROM \(unescaped: tables).jobs
            WHERE lease_token IS NULL AND visible_at > created_at AND visible_at > \(now) GROUP BY queue_id, topic
            """)
        {
            let (queueID, topic, jobs) = try row.decode((String, String, Int).self)
            scheduled[QueueKey(queueID: queueID, topic: topic)] = jobs
        }
        var leased: [QueueKey: Int] = [:]
        for row in try await transaction.rows(
            """
            SELECT queue_id, topic, count(*) FROM \(unescaped: tables).jobs
            WHERE lease_token IS NOT NULL AND lease_expires_at > \(now) GROUP BY queue_id, topic
            """)
        {
            let (queueID, topic, jobs) = try row.decode((String, String, Int).self)
            leased[QueueKey(queueID: queueID, topic: topic)] = jobs
        }
        return try await transaction.rows(
            """
            SELECT queue_id, topic, sum(jobs)::bigint, sum(dead)::bigint, sum(cancelled)::bigint FROM (
                SELECT queue_id, topic, jobs, dead, cancelled FROM \(unescaped: tables).queue_counts
                UNION ALL
                SELECT queue_id, topic, jobs, dead, cancelled FROM \(unescaped: tables).count_changes
            ) counts GROUP BY queue_id, topic HAVING sum(jobs) <> 0 OR sum(dead) <> 0 OR sum(cancelled) <> 0
            """
        ).map { row in
            let (queueID, topic, jobs, dead, cancelled) = try row.decode((String, String, Int, Int, Int).self)
            let key = QueueKey(queueID: queueID, topic: topic)
            return QueueCounts(
                queueID: queueID, topic: topic, jobs: jobs, scheduled: scheduled[key] ?? 0, leased: leased[key] ?? 0, dead: dead,
                cancelled: cancelled)
        }
    }

    /// Folds the changes written since the last fold into `queue_counts` (removing the rows of
    /// queues left with nothing), unless another host is folding at this moment. Returns how many
    /// changes it folded.
    @discardableResult
    func foldCounts(in transaction: PostgresTransaction) async throws -> Int {
        let lockName = "jobqueue counts \(settings.schema)"
        guard try await transaction.first("SELECT pg_try_advisory_xact_lock(hashtext(\(lockName)))", as: Bool.self) == true else { return 0 }
        let rows = try await transaction.rows(
            """
            WITH folded AS (
                DELETE FROM \(unescaped: tables).count_changes RETURNING *
            ), summed AS (
                SELECT queue_id, topic, sum(jobs) AS jobs, sum(dead) AS dead, sum(cancelled) AS cancelled, count(*) AS changes
                FROM folded GROUP BY queue_id, topic
            ), counted AS (
                INSERT INTO \(unescaped: tables).queue_counts AS q (queue_id, topic, jobs, dead, cancelled)
                SELECT queue_id, topic, jobs, dead, cancelled FROM summed ORDER BY queue_id, topic
                ON CONFLICT (queue_id, topic) DO UPDATE
                    SET jobs = q.jobs + excluded.jobs, dead = q.dead + excluded.dead, cancelled = q.cancelled + excluded.cancelled
                RETURNING queue_id, topic, q.jobs = 0 AND q.dead = 0 AND q.cancelled = 0 AS empty
            )
            SELECT c.queue_id, c.topic, c.empty, s.changes FROM counted c JOIN summed s USING (queue_id, topic)
            """)
        var emptied: (queues: [String], topics: [String]) = ([], [])
        var folded = 0
        for row in rows {
            let (queueID, topic, empty, changes) = try row.decode((String, String, Bool, Int).self)
            folded += changes
            if empty {
                emptied.queues.append(queueID)
                emptied.topics.append(topic)
            }
        }
        if !emptied.queues.isEmpty {
            try await transaction.run(
                """
                DELETE FROM \(unescaped: tables).queue_counts
                WHERE (queue_id, topic) IN (SELECT * FROM unnest(\(emptied.queues)::text[], \(emptied.topics)::text[]))
                    AND jobs = 0 AND dead = 0 AND cancelled = 0
                """)
        }
        return folded
    }
}
