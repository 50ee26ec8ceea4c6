import JobQueue
import PostgresNIO

/// ``LeaseJobs`` for a queue whose topic has a `max_running_per_queue` of `maxBatches`: counts
/// the batches holding jobs of the queue first (the distinct lease tokens of its unexpired leases),
/// and leases only if there are fewer, in the same statement. Each row carries that count (taken
/// before this lease); when nothing is leased, one row carries it alone.
///
/// Counting here rather than in a statement of its own saves a round trip per take, and is as
/// exact: the caller holds the queue's pointer row, which every take locks before it leases from
/// the queue, so this statement's snapshot sees every lease of the queue committed by others.
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct LeaseJobsWithinQueueLimit: PostgresPreparedStatement {
    static let sql = """
        WITH held AS (
            SELECT count(DISTINCT lease_token) AS batches FROM jobs
            WHERE topic = $2::text AND queue_id = $1::text AND lease_token IS NOT NULL AND lease_expires_at > $3::bigint
        ), candidates AS (
            SELECT \(LeaseJobs.candidateColumns)
            FROM jobs
            WHERE queue_id = $1::text AND topic = $2::text AND visible_at <= $3::bigint
            ORDER BY priority, visible_at, id
            LIMIT CASE WHEN (SELECT batches FROM held) < $10::bigint THEN $4::bigint ELSE 0 END FOR UPDATE SKIP LOCKED
        ), \(LeaseJobs.claiming("candidates"))
        SELECT h.batches, l.id, l.payload, l.priority, l.attempt, l.max_retries, c.visible_at
        FROM held h LEFT JOIN (leased l JOIN candidates c ON c.id = l.id) ON true
        ORDER BY c.priority, c.visible_at, c.id
        """

    var lease: LeaseJobs
    var maxBatches: Int

    func makeBindings() -> PostgresBindings {
        var bindings = lease.makeBindings()
        bindings.append(maxBatches)
        return bindings
    }

    /// The batches that held the queue before this lease, and a leased job (none in the row
    /// that only carries the count).
    func decodeRow(_ row: PostgresRow) throws -> (batches: Int, job: LeasedJob?) {
        let (batches, id, payload, priority, attempt, maxRetries, visibleAt) = try row.decode(
            (Int, Int64?, ByteBuffer?, Int?, Int?, Int?, Int64?).self)
        guard let id, let payload, let priority, let attempt, let maxRetries, let visibleAt else { return (batches, nil) }
        return (
            batches,
            LeaseJobs.job(
                of: lease.queue, token: lease.token, id: id, payload: payload, priority: priority, attempt: attempt, maxRetries: maxRetries,
                visibleAt: visibleAt)
        )
    }
}
