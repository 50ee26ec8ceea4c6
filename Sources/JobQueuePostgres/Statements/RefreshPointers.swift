import JobQueue
import PostgresNIO

/// Recomputes the pointers of `keys` from their jobs: removed when the queue is empty, otherwise
/// its earliest visible time, kept no earlier than `servedAt` (a serving time ≤ now, when the
/// queue was just served) or than a current pointer that is already due; a held pointer (see
/// `PostgresJobStore.hold`) is released to when its queue was last served, unless its key has a
/// lease in `settled` (the one lease of the jobs just settled in the queue) that still holds a job
/// of it: a batch counts until its last job settles, and a queue released before would only be
/// found at its limit by the next take; such a pointer is left as it is. Keys in `holding` (given
/// with `servedAt`: queues this take brought to their `max_running_per_queue`) are held in the
/// same write instead: raised to the earliest expiry of their running leases, `held_from` set to
/// `servedAt`. The caller must have
/// locked those pointer rows in an earlier statement of its transaction (so that it reads every
/// job committed before it held them).
///
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct RefreshPointers: PostgresPreparedStatement {
    static let sql = """
        WITH earliest AS (
            SELECT k.queue_id, k.topic, first.at,
                CASE WHEN k.holding THEN (
                    SELECT min(lease_expires_at) FROM jobs j
                    WHERE j.topic = k.topic AND j.queue_id = k.queue_id AND j.lease_token IS NOT NULL AND j.lease_expires_at > $4::bigint
                ) END AS held_until,
                nullif(k.settled, '') AS settled
            FROM unnest($1::text[], $2::text[], $5::bool[], $6::text[]) AS k(queue_id, topic, holding, settled)
            LEFT JOIN LATERAL (
                -- The earliest visible time: the earliest of each priority's first entry in
                -- jobs_order, one index seek per priority the queue uses (a loose index scan).
                WITH RECURSIVE firsts(priority, visible_at) AS (
                    (SELECT j.priority, j.visible_at FROM jobs j WHERE j.queue_id = k.queue_id AND j.topic = k.topic
                     ORDER BY j.priority, j.visible_at LIMIT 1)
                    UNION ALL
                    SELECT n.priority, n.visible_at FROM firsts f, LATERAL (
                        SELECT j.priority, j.visible_at FROM jobs j
                        WHERE j.queue_id = k.queue_id AND j.topic = k.topic AND j.priority > f.priority
                        ORDER BY j.priority, j.visible_at LIMIT 1) n
                )
                SELECT min(visible_at) AS at FROM firsts
            ) first ON true
        ), removed AS (
            DELETE FROM queue_pointers p USING earliest e
            WHERE e.at IS NULL AND p.queue_id = e.queue_id AND p.topic = e.topic
        )
        UPDATE queue_pointers p SET vesting_at = greatest(CASE
            WHEN $3::bigint IS NOT NULL THEN greatest(e.at, $3::bigint)
            WHEN p.held_from IS NOT NULL THEN greatest(e.at, p.held_from)
            WHEN p.vesting_at <= $4::bigint THEN greatest(e.at, p.vesting_at)
            ELSE e.at END, e.held_until), held_from = CASE WHEN e.held_until IS NOT NULL THEN $3::bigint END
        FROM earliest e WHERE e.at IS NOT NULL AND p.queue_id = e.queue_id AND p.topic = e.topic
            AND NOT (p.held_from IS NOT NULL AND e.settled IS NOT NULL AND EXISTS (
                SELECT 1 FROM jobs j
                WHERE j.topic = e.topic AND j.queue_id = e.queue_id AND j.lease_token IS NOT NULL AND j.lease_token = e.settled))
        """

    var keys: [QueueKey]
    var servedAt: Timestamp?
    var now: Timestamp
    var holding: Set<QueueKey> = []
    var settled: [QueueKey: LeaseToken] = [:]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(keys.map(\.queueID))
        bindings.append(keys.map(\.topic))
        bindings.append(servedAt?.rawValue)
        bindings.append(now.rawValue)
        bindings.append(keys.map(holding.contains))
        bindings.append(keys.map { settled[$0]?.rawValue ?? "" })  // no lease: ''
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
