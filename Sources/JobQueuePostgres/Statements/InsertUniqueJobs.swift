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

    /// The statement, its tables prefixed by `tables` ("schema."). Its rows: `('taken', id, n)`
    /// for a key's first job whose key was taken (n its 1-based position), and
    /// `('stored', id, topic, unique_key)` for each job stored, in id order.
    func query(tables: String) -> PostgresQuery {
        let visibleAt = jobs.map { $0.visibleAt ?? now }
        let payloads = jobs.map { ByteBuffer(bytes: $0.payload) }
        return """
            WITH input AS (
                -- No key is '' and no hold ends at 0: those stand for none.
                SELECT queue_id, topic, payload, priority, visible_at, max_retries, pointer_at, NULLIF(unique_key, '') AS unique_key,
                    NULLIF(held_until, 0) AS held_until, n
                FROM unnest(
                    \(jobs.map(\.queueID))::text[], \(jobs.map(\.topic))::text[], \(payloads)::bytea[],
                    \(jobs.map(\.storedPriority))::bigint[], \(visibleAt.map(\.rawValue))::bigint[], \(jobs.map(\.storedMaxRetries))::bigint[],
                    \(visibleAt.map { StoreRules.pointerTime(forJobVisibleAt: $0, now: now).rawValue })::bigint[],
                    \(jobs.map { $0.uniqueKey ?? "" })::text[], \(jobs.map { $0.uniqueFor.map { (now + $0).rawValue } ?? 0 })::bigint[]
                ) WITH ORDINALITY AS i(queue_id, topic, payload, priority, visible_at, max_retries, pointer_at, unique_key, held_until, n)
            ), firsts AS (
                SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY topic, unique_key ORDER BY n) AS rank FROM input) r
                WHERE unique_key IS NULL OR rank = 1
            ), taken AS (
                SELECT f.n, coalesce(
                    (SELECT h.job_id FROM \(unescaped: tables)unique_holds h
                     WHERE h.topic = f.topic AND h.unique_key = f.unique_key AND h.held_until > \(now.rawValue)),
                    (SELECT j.id FROM \(unescaped: tables)jobs j WHERE j.topic = f.topic AND j.unique_key = f.unique_key)) AS id
                FROM firsts f WHERE f.unique_key IS NOT NULL
            ), storing AS (
                SELECT * FROM firsts f WHERE NOT EXISTS (SELECT 1 FROM taken t WHERE t.n = f.n AND t.id IS NOT NULL)
            ), stored AS (
                INSERT INTO \(unescaped: tables)jobs (queue_id, topic, payload, priority, visible_at, max_retries, created_at, unique_key)
                SELECT queue_id, topic, payload, priority, visible_at, max_retries, \(now.rawValue), unique_key FROM storing ORDER BY n
                ON CONFLICT (topic, unique_key) WHERE unique_key IS NOT NULL DO NOTHING
                RETURNING id, topic, unique_key
            ), pointers AS (
                INSERT INTO \(unescaped: tables)queue_pointers (queue_id, topic, vesting_at)
                SELECT queue_id, topic, min(pointer_at) FROM storing GROUP BY queue_id, topic ORDER BY queue_id, topic
                ON CONFLICT (queue_id, topic) DO UPDATE SET vesting_at = least(queue_pointers.vesting_at, excluded.vesting_at)
            ), holds AS (
                INSERT INTO \(unescaped: tables)unique_holds (topic, unique_key, job_id, held_until)
                SELECT s.topic, s.unique_key, s.id, f.held_until FROM stored s
                JOIN storing f ON f.topic = s.topic AND f.unique_key = s.unique_key WHERE f.held_until IS NOT NULL
                ON CONFLICT (topic, unique_key) DO UPDATE SET job_id = excluded.job_id, held_until = excluded.held_until
            ), notified AS (
                SELECT pg_notify(\(channel)::text, '') WHERE EXISTS (SELECT 1 FROM storing)
            )
            SELECT 'taken', id, n, NULL::text, NULL::text FROM taken WHERE id IS NOT NULL
            UNION ALL
            SELECT 'stored', id, NULL::bigint, topic, unique_key FROM stored
            UNION ALL
            SELECT 'notified', NULL::bigint, NULL::bigint, NULL::text, NULL::text FROM notified
            """
    }

    /// The ids of the jobs, in order, from the statement's rows: a stored job's own, or the id of
    /// the job holding its key. Nil if a key's job is missing (only another writer that took no
    /// advisory lock could cause that).
    func ids(from rows: [PostgresRow]) throws -> [JobID]? {
        var taken: [Int: Int64] = [:]
        var storedWithKey: [String: Int64] = [:]
        var storedPlain: [Int64] = []
        for row in rows {
            let (kind, id, n, topic, key) = try row.decode((String, Int64?, Int64?, String?, String?).self)
            switch (kind, id, n, topic, key) {
            case let ("taken", id?, n?, _, _): taken[Int(n) - 1] = id
            case let ("stored", id?, _, topic?, key?): storedWithKey[Self.slot(topic, key)] = id
            case let ("stored", id?, _, _, nil): storedPlain.append(id)
            default: break
            }
        }
        storedPlain.sort()
        var first: [String: Int] = [:]
        var plain = storedPlain.makeIterator()
        var ids: [JobID] = []
        for (index, job) in jobs.enumerated() {
            guard let key = job.uniqueKey else {
                guard let id = plain.next() else { return nil }
                ids.append(JobID(rawValue: id))
                continue
            }
            let slot = Self.slot(job.topic, key)
            let firstIndex = first[slot] ?? index
            first[slot] = firstIndex
            guard let id = taken[firstIndex] ?? storedWithKey[slot] else { return nil }
            ids.append(JobID(rawValue: id))
        }
        return ids
    }

    private static func slot(_ topic: String, _ key: String) -> String { "\(topic)\n\(key)" }
}
