import JobQueue
import PostgresNIO

/// Stores one job with a unique key unless the key is taken, in one statement: by a hold
/// (`unique_for`) not yet over, whose job id it returns as `held`; or by a live job of the topic,
/// which the `jobs_unique` index refuses (an enqueue of the same key still in flight in another
/// transaction is waited for), when neither id comes back and the caller looks the live job up.
/// When it stores the job, it lowers the queue's pointer, records the hold and notifies listeners.
struct InsertUniqueJob {
    var job: NewJob
    var key: String
    var now: Timestamp
    /// The store's LISTEN/NOTIFY channel.
    var channel: String

    /// The statement, its tables prefixed by `tables` ("schema.").
    func query(tables: String) -> PostgresQuery {
        let visibleAt = job.visibleAt ?? now
        let pointerAt = StoreRules.pointerTime(forJobVisibleAt: visibleAt, now: now)
        let heldUntil = job.uniqueFor.map { (now + $0).rawValue }
        let payload = ByteBuffer(bytes: job.payload)
        return """
            WITH held AS (
                SELECT job_id FROM \(unescaped: tables)unique_holds
                WHERE topic = \(job.topic) AND unique_key = \(key) AND held_until > \(now.rawValue)
            ), inserted AS (
                INSERT INTO \(unescaped: tables)jobs (queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
                SELECT \(job.queueID), \(job.topic), \(payload), \(job.storedPriority), \(visibleAt.rawValue),
                    \(job.storedMaxRetries), \(now.rawValue), \(key)
                WHERE NOT EXISTS (SELECT 1 FROM held)
                ON CONFLICT (topic, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING id
            ), pointer AS (
                INSERT INTO \(unescaped: tables)queue_pointers (queue_id, topic, vesting_at)
                SELECT \(job.queueID), \(job.topic), \(pointerAt.rawValue)::bigint FROM inserted
                ON CONFLICT (queue_id, topic) DO UPDATE SET vesting_at = least(queue_pointers.vesting_at, excluded.vesting_at)
            ), hold AS (
                INSERT INTO \(unescaped: tables)unique_holds (topic, unique_key, job_id, held_until)
                SELECT \(job.topic), \(key), id, \(heldUntil)::bigint FROM inserted WHERE \(heldUntil)::bigint IS NOT NULL
                ON CONFLICT (topic, unique_key) DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until
            ), notified AS (
                SELECT pg_notify(\(channel)::text, '') FROM inserted
            )
            SELECT (SELECT id FROM inserted), (SELECT job_id FROM held), (SELECT count(*) FROM notified)
            """
    }

    /// The id of the live job holding the key, when the statement stored nothing and no hold
    /// named one.
    func liveJob(tables: String) -> PostgresQuery {
        "SELECT id FROM \(unescaped: tables)jobs WHERE topic = \(job.topic) AND unique_key = \(key)"
    }
}
