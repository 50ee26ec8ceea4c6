import JobQueue

/// What `status` counts, kept in step with the writes rather than counted from every row:
/// - `queue_counts`: each queue's jobs, dead letters and cancelled jobs, as of the last fold;
/// - `count_changes`: what every statement since added to or removed from them, one row per
///   statement and queue, written by statement triggers on `jobs` and `dead_letters` (so every
///   writer is counted, the SQL `enqueue` function and hand-written SQL included). Appending rows
///   never waits on another transaction, where updating a shared count row would make concurrent
///   takes and settlements queue behind each other; hosts fold the rows into `queue_counts` now
///   and then (`PostgresJobStore.foldCounts`), and `status` adds up both;
/// - the `jobs_scheduled` index: the jobs put off to a later time and not leased (a job enqueued
///   to run now, as most are, never enters it); the leased ones are in `jobs_running` already.
///
/// A queue's ready jobs are then its jobs less those leased and those scheduled.
extension PostgresSchema {
    static let counts: [String] =
        [
            """
            CREATE TABLE $schema.queue_counts (
                queue_id text NOT NULL,
                topic text NOT NULL,
                jobs bigint NOT NULL DEFAULT 0,
                dead bigint NOT NULL DEFAULT 0,
                cancelled bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (queue_id, topic)
            )
            """,
            """
            CREATE TABLE $schema.count_changes (
                queue_id text NOT NULL,
                topic text NOT NULL,
                jobs bigint NOT NULL,
                dead bigint NOT NULL,
                cancelled bigint NOT NULL
            )
            """,
            """
            INSERT INTO $schema.queue_counts (queue_id, topic, jobs, dead, cancelled)
            SELECT queue_id, topic, sum(jobs), sum(dead), sum(cancelled) FROM (
                SELECT queue_id, topic, count(*) AS jobs, 0 AS dead, 0 AS cancelled FROM $schema.jobs GROUP BY queue_id, topic
                UNION ALL
                SELECT queue_id, topic, 0, count(*) FILTER (WHERE kind <> 'cancelled'), count(*) FILTER (WHERE kind = 'cancelled')
                FROM $schema.dead_letters GROUP BY queue_id, topic
            ) counted GROUP BY queue_id, topic
            """,
        ]
        + counting("jobs", jobs: "count(*)", dead: "0", cancelled: "0")
        + counting(
            "dead_letters", jobs: "0", dead: "count(*) FILTER (WHERE kind <> 'cancelled')", cancelled: "count(*) FILTER (WHERE kind = 'cancelled')")
        + [
            "CREATE INDEX jobs_scheduled ON $schema.jobs (visible_at, queue_id, topic) WHERE lease_token IS NULL AND visible_at > created_at",
            // A second index of every job's visible time cost each enqueue, lease and settlement
            // an index entry to write; `RefreshPointers` seeks `jobs_order` one priority at a time.
            "DROP INDEX IF EXISTS $schema.jobs_vesting",
        ]

    /// A function and two statement triggers on `table` that append, per queue, the jobs, dead
    /// letters and cancelled jobs its inserted rows add (aggregates over the rows `changed`), or
    /// its deleted rows remove, to `count_changes`.
    private static func counting(_ table: String, jobs: String, dead: String, cancelled: String) -> [String] {
        [
            """
            CREATE FUNCTION $schema.count_\(table)() RETURNS trigger LANGUAGE plpgsql AS $function$
            DECLARE sign int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
            BEGIN
                INSERT INTO $schema.count_changes
                SELECT queue_id, topic, sign * \(jobs), sign * \(dead), sign * \(cancelled) FROM changed GROUP BY queue_id, topic;
                RETURN NULL;
            END
            $function$
            """,
            """
            CREATE TRIGGER \(table)_added AFTER INSERT ON $schema.\(table) REFERENCING NEW TABLE AS changed
            FOR EACH STATEMENT EXECUTE FUNCTION $schema.count_\(table)()
            """,
            """
            CREATE TRIGGER \(table)_removed AFTER DELETE ON $schema.\(table) REFERENCING OLD TABLE AS changed
            FOR EACH STATEMENT EXECUTE FUNCTION $schema.count_\(table)()
            """,
        ]
    }
}
