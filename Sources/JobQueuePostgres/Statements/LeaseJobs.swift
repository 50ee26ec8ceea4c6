import JobQueue
import PostgresNIO

/// Leases up to `limit` visible jobs of one queue, in queue order (priority, visible time,
/// enqueue order), under `token` until `expiry`. Rows other transactions hold are skipped
/// (`SKIP LOCKED`), so a take never waits for another host's. A candidate whose runner vanished
/// during its last allowed attempt (still leased, no retries left) is moved to the dead letters
/// instead, in the same statement, with `StoreRules.runnerVanishedReasonFormat`. A job that still
/// held an expired lease lost its last run: its history says so (`lost`).
///
/// The caller must hold the queue's pointer row (see `PostgresJobStore+Pointers.swift`).
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct LeaseJobs: PostgresPreparedStatement {
    static let sql = statement(tagging: "")

    /// The statement, each row led by `tag` (SQL with a trailing comma, or "").
    static func statement(tagging tag: String) -> String {
        """
        WITH candidates AS (
            SELECT \(candidateColumns)
            FROM jobs
            WHERE queue_id = $1::text AND topic = $2::text AND visible_at <= $3::bigint
            ORDER BY priority, visible_at, id LIMIT $4::bigint FOR UPDATE SKIP LOCKED
        ), \(claiming("candidates"))
        SELECT \(tag)l.id, l.payload, l.priority, l.attempt, l.max_retries, c.visible_at
        FROM leased l JOIN candidates c ON c.id = l.id ORDER BY c.priority, c.visible_at, c.id
        """
    }

    /// What a take reads of each candidate row of `jobs`: whether its runner vanished during its
    /// last allowed run (`abandoned`), and the `lost` record of its previous run if it held a
    /// lease (`$9` the error text).
    static let candidateColumns = """
        id, priority, visible_at, lease_token IS NOT NULL AND attempt > max_retries AS abandoned,
            CASE WHEN lease_token IS NULL THEN NULL ELSE jsonb_build_object(
                'attempt', attempt, 'outcome', 'lost', 'error', $9::text,
                'host', \(LeaseToken.ownerSQL), 'finished_at', lease_expires_at) END AS record
        """

    /// The CTEs that take the rows of `candidates` (see ``candidateColumns``): abandoned ones to
    /// the dead letters (`buried`, `removed`), the others leased under `$5` until `$6` (`leased`,
    /// returning id, payload, priority, attempt, max_retries); `$3` is now, `$7`/`$8` the dead
    /// letter's kind and reason format.
    static func claiming(_ candidates: String) -> String {
        """
        buried AS (
            INSERT INTO dead_letters
                (id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at, history)
            SELECT j.id, j.queue_id, j.topic, j.payload, j.priority, j.max_retries, j.attempt, $7::text,
                format($8::text, j.attempt), j.created_at, $3::bigint, \(PostgresSchema.historyAppending("c.record", history: "j.history"))
            FROM jobs j JOIN \(candidates) c ON c.id = j.id WHERE c.abandoned
            RETURNING id
        ), removed AS (
            DELETE FROM jobs WHERE id IN (SELECT id FROM buried)
        ), leased AS (
            UPDATE jobs j SET attempt = j.attempt + 1, visible_at = $6::bigint,
                lease_token = $5::text, lease_expires_at = $6::bigint,
                history = \(PostgresSchema.historyAppending("c.record", history: "j.history"))
            FROM \(candidates) c WHERE j.id = c.id AND NOT c.abandoned
            RETURNING j.id, j.payload, j.priority, j.attempt, j.max_retries
        )
        """
    }

    var queue: QueueKey
    var limit: Int
    var token: LeaseToken
    var expiry: Timestamp
    var now: Timestamp

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(queue.queueID)
        bindings.append(queue.topic)
        bindings.append(now.rawValue)
        bindings.append(limit)
        bindings.append(token.rawValue)
        bindings.append(expiry.rawValue)
        Self.appendRules(to: &bindings)
        return bindings
    }

    /// The last three arguments, the same for every lease: the dead letter's kind and reason
    /// format for a job whose runner vanished, and the error of a lost run.
    static func appendRules(to bindings: inout PostgresBindings) {
        bindings.append(DeadLetter.Kind.failed.rawValue)
        bindings.append(StoreRules.runnerVanishedReasonFormat)
        bindings.append(StoreRules.lostRunError)
    }

    func decodeRow(_ row: PostgresRow) throws -> LeasedJob {
        let (id, payload, priority, attempt, maxRetries, visibleAt) = try row.decode((Int64, ByteBuffer, Int, Int, Int, Int64).self)
        return Self.job(
            of: queue, token: token, id: id, payload: payload, priority: priority, attempt: attempt, maxRetries: maxRetries, visibleAt: visibleAt)
    }

    /// A job leased from `queue` under `token`, from its row's columns.
    static func job(
        of queue: QueueKey, token: LeaseToken, id: Int64, payload: ByteBuffer, priority: Int, attempt: Int, maxRetries: Int, visibleAt: Int64
    ) -> LeasedJob {
        LeasedJob(
            id: JobID(rawValue: id), queueID: queue.queueID, topic: queue.topic, payload: Array(payload.readableBytesView),
            priority: priority, attempt: attempt, maxRetries: maxRetries, lease: token, visibleAt: Timestamp(rawValue: visibleAt))
    }
}
