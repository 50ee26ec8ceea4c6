import JobQueue
import PostgresNIO

/// Fills a take's batches in one call of the schema's `take_batches` function (see
/// `PostgresSchema.takeFunction`), its own transaction: `plan[b]` are the queues batch b leases
/// from, in order, under `tokens[b]`, within `limits` (topic limits are not supported: a take
/// with any goes the general way). Rows are leased jobs with their batch, then the count of the
/// pointers the call could lock.
///
/// Prepared once per pooled connection; the function resolves through the pool's `search_path`.
struct TakeBatches: PostgresPreparedStatement {
    static let sql = """
        SELECT * FROM take_batches($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint, $7::bigint, $8::text, $9::text, $10::text)
        """

    enum Row {
        case job(batch: Int, LeasedJob)
        case locked(Int)
    }

    /// The plan flattened: each queue with its batch (0-based), in order.
    let entries: [(batch: Int, queue: QueueKey)]
    let limits: BatchLimits
    let tokens: [LeaseToken]
    let expiry: Timestamp
    let now: Timestamp

    init(plan: [[QueueKey]], limits: BatchLimits, tokens: [LeaseToken], expiry: Timestamp, now: Timestamp) {
        entries = plan.enumerated().flatMap { batch, queues in queues.map { (batch, $0) } }
        self.limits = limits
        self.tokens = tokens
        self.expiry = expiry
        self.now = now
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(entries.map { Int32($0.batch + 1) })
        bindings.append(entries.map(\.queue.queueID))
        bindings.append(entries.map(\.queue.topic))
        bindings.append(entries.map { Int32(clamping: limits.limit(for: $0.queue.topic)) })
        bindings.append(tokens.map(\.rawValue))
        bindings.append(now.rawValue)
        bindings.append(expiry.rawValue)
        LeaseJobs.appendRules(to: &bindings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (entry, id, payload, priority, attempt, maxRetries, visibleAt) = try row.decode(
            (Int32, Int64, ByteBuffer?, Int32?, Int32?, Int32?, Int64?).self)
        guard entry > 0, let payload, let priority, let attempt, let maxRetries, let visibleAt else { return .locked(Int(id)) }
        let (batch, queue) = entries[Int(entry) - 1]
        return .job(
            batch: batch,
            LeaseJobs.job(
                of: queue, token: tokens[batch], id: id, payload: payload, priority: Int(priority), attempt: Int(attempt),
                maxRetries: Int(maxRetries), visibleAt: visibleAt))
    }
}
