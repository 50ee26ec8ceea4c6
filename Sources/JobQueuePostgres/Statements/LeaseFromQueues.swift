import JobQueue
import PostgresNIO

/// Leases one batch from several queues of one topic in one statement: up to `rooms[i]` visible
/// jobs of `queues[i]`, in queue order, and `total` in all, the earlier queues first; otherwise as
/// ``LeaseJobs`` (rows other transactions hold are skipped, abandoned ones dead-lettered).
///
/// For queues that each give few jobs (a topic's `max_running_per_queue`), where leasing queue by
/// queue would cost a round trip per job. The caller must hold the queues' pointer rows.
struct LeaseFromQueues: PostgresPreparedStatement {
    static let sql = """
        WITH wanted AS (
            SELECT * FROM unnest($1::text[], $2::text[], $4::bigint[]) WITH ORDINALITY AS w(queue_id, topic, room, k)
        ), candidates AS (
            SELECT c.*, w.queue_id, w.topic, row_number() OVER (ORDER BY w.k, c.priority, c.visible_at, c.id) AS n
            FROM wanted w CROSS JOIN LATERAL (
                SELECT \(LeaseJobs.candidateColumns)
                FROM jobs
                WHERE queue_id = w.queue_id AND topic = w.topic AND visible_at <= $3::bigint
                ORDER BY priority, visible_at, id LIMIT w.room FOR UPDATE SKIP LOCKED
            ) c
        ), chosen AS (
            SELECT * FROM candidates WHERE n <= $10::bigint
        ), \(LeaseJobs.claiming("chosen"))
        SELECT l.id, c.queue_id, c.topic, l.payload, l.priority, l.attempt, l.max_retries, c.visible_at
        FROM leased l JOIN chosen c ON c.id = l.id ORDER BY c.n
        """

    var queues: [(queue: QueueKey, room: Int)]
    var total: Int
    var token: LeaseToken
    var expiry: Timestamp
    var now: Timestamp

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(queues.map(\.queue.queueID))
        bindings.append(queues.map(\.queue.topic))
        bindings.append(now.rawValue)
        bindings.append(queues.map { Int64($0.room) })
        bindings.append(token.rawValue)
        bindings.append(expiry.rawValue)
        bindings.append(DeadLetter.Kind.failed.rawValue)
        bindings.append(StoreRules.runnerVanishedReasonFormat)
        bindings.append(StoreRules.lostRunError)
        bindings.append(total)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> LeasedJob {
        let (id, queueID, topic, payload, priority, attempt, maxRetries, visibleAt) = try row.decode(
            (Int64, String, String, ByteBuffer, Int, Int, Int, Int64).self)
        return LeasedJob(
            id: JobID(rawValue: id), queueID: queueID, topic: topic, payload: Array(payload.readableBytesView),
            priority: priority, attempt: attempt, maxRetries: maxRetries, lease: token, visibleAt: Timestamp(rawValue: visibleAt))
    }
}
