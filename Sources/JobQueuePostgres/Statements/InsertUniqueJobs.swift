import JobQueue
import PostgresNIO

/// Stores a batch in which some jobs have unique keys, in one statement: each key's first job in
/// the batch is stored unless the key is taken, by a hold (`unique_for`) not yet over or by a
/// live job of its topic; the batch's later jobs with the same key get the same id. It lowers the
/// stored jobs' pointers (in key order), records their holds and notifies listeners.
///
/// The caller holds the keys' advisory locks (taken before this statement began, so its snapshot
/// sees every enqueue of these keys that committed): no other enqueue can store one of them
/// meanwhile, and the `jobs_unique` index is the guard should anything else try.
struct InsertUniqueJobs {
    var jobs: [NewJob]
    var now: Timestamp
    /// The store's LISTEN/NOTIFY channel.
    var channel: String

    /// The statement, its tables prefixed by `tables` ("schema."). Its rows: `('storing', n, id)`
    /// and `('taken', n, id)` for each key's first job and each job without a key (n its 1-based
    /// position in `jobs`): the id it is stored under, or that of the job holding its key; then
    /// `('stored', 0, count)`, how many the insert stored.
    ///
    /// The stored jobs' ids are drawn from the table's sequence in batch order before the insert,
    /// so nothing needs joining back (CTEs have no statistics, and a join of two would be planned
    /// as a nested loop).
    func query(tables: String) -> PostgresQuery {
        let visibleAt = jobs.map { $0.visibleAt ?? now }
        let payloads = jobs.map { ByteBuffer(bytes: $0.payload) }
        return """
            WITH firsts AS (
                -- No key is '' and no hold ends at 0: those stand for none.
                SELECT r.*, CASE WHEN r.unique_key IS NULL THEN NULL ELSE coalesce(
                    (SELECT h.job_id FROM \(unescaped: tables)unique_holds h
                     WHERE h.topic = r.topic AND h.unique_key = r.unique_key AND h.held_until > \(now.rawValue)),
                    (SELECT j.id FROM \(unescaped: tables)jobs j WHERE j.topic = r.topic AND j.unique_key = r.unique_key)) END AS taken_by
                FROM (
                    SELECT queue_id, topic, payload, priority, visible_at, max_retries, pointer_at, NULLIF(unique_key, '') AS unique_key,
                        NULLIF(held_until, 0) AS held_until, n,
                        row_number() OVER (PARTITION BY topic, NULLIF(unique_key, '') ORDER BY n) AS rank
                    FROM unnest(
                        \(jobs.map(\.queueID))::text[], \(jobs.map(\.topic))::text[], \(payloads)::bytea[],
                        \(jobs.map(\.storedPriority))::bigint[], \(visibleAt.map(\.rawValue))::bigint[], \(jobs.map(\.storedMaxRetries))::bigint[],
                        \(visibleAt.map { StoreRules.pointerTime(forJobVisibleAt: $0, now: now).rawValue })::bigint[],
                        \(jobs.map { $0.uniqueKey ?? "" })::text[], \(jobs.map { $0.uniqueFor.map { (now + $0).rawValue } ?? 0 })::bigint[]
                    ) WITH ORDINALITY AS i(queue_id, topic, payload, priority, visible_at, max_retries, pointer_at, unique_key, held_until, n)
                ) r
                WHERE r.unique_key IS NULL OR r.rank = 1
            ), storing AS (
                SELECT s.*, nextval(pg_get_serial_sequence('\(unescaped: tables)jobs', 'id')) AS id
                FROM (SELECT * FROM firsts WHERE taken_by IS NULL ORDER BY n OFFSET 0) s  -- ids in batch order
            ), stored AS (
                INSERT INTO \(unescaped: tables)jobs (id, queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
                SELECT id, queue_id, topic, payload, priority, visible_at, max_retries, \(now.rawValue), unique_key FROM storing ORDER BY n
                ON CONFLICT (topic, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING 1
            ), pointers AS (
                INSERT INTO \(unescaped: tables)queue_pointers (queue_id, topic, vesting_at)
                SELECT queue_id, topic, min(pointer_at) FROM storing GROUP BY queue_id, topic ORDER BY queue_id, topic
                ON CONFLICT (queue_id, topic) DO UPDATE SET \(unescaped: PostgresSchema.lowerPointer)
            ), holds AS (
                INSERT INTO \(unescaped: tables)unique_holds (topic, unique_key, job_id, held_until)
                SELECT topic, unique_key, id, held_until FROM storing WHERE held_until IS NOT NULL
                ON CONFLICT (topic, unique_key) DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until
            ), notified AS (
                SELECT pg_notify(\(channel)::text, '') WHERE EXISTS (SELECT 1 FROM storing)
            )
            SELECT 'storing', n, id FROM storing
            UNION ALL SELECT 'taken', n, taken_by FROM firsts WHERE taken_by IS NOT NULL
            UNION ALL SELECT 'stored', 0, (SELECT count(*) FROM stored) + 0 * (SELECT count(*) FROM notified)
            """
    }

    /// The ids of the jobs, in order, from the statement's rows: a stored job's own, or the id of
    /// the job holding its key. Nil if a job the statement meant to store was refused by the
    /// index (only another writer that took no advisory lock could cause that).
    func ids(from rows: [PostgresRow]) throws -> [JobID]? {
        var byPosition: [Int: Int64] = [:]
        var storing = 0
        var stored = -1
        for row in rows {
            let (kind, n, id) = try row.decode((String, Int64, Int64).self)
            switch kind {
            case "stored": stored = Int(id)
            case "storing":
                storing += 1
                byPosition[Int(n) - 1] = id
            default: byPosition[Int(n) - 1] = id
            }
        }
        guard stored == storing else { return nil }
        var first: [[UInt8]: Int] = [:]
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            var position = index
            if let key = job.uniqueKey {
                let slot = Self.slot(job.topic, key)
                position = first[slot] ?? index
                first[slot] = position
            }
            guard let id = byPosition[position] else { return nil }
            ids.append(JobID(rawValue: id))
        }
        return ids
    }

    /// A key's place, by its bytes (as the database compares them; Swift's `==` would treat
    /// canonically equivalent strings as one).
    private static func slot(_ topic: String, _ key: String) -> [UInt8] { Array(topic.utf8) + [0] + Array(key.utf8) }
}
