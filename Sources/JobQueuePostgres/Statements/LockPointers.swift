import JobQueue
import PostgresNIO

/// Locks the pointer rows of `keys` (missing ones are skipped), waiting for other holders, in
/// key order: every transaction that waits for several pointers takes them in this one order, so
/// none can deadlock another. The keys must be distinct.
///
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct LockPointers: PostgresPreparedStatement {
    static let sql = """
        SELECT 1 FROM queue_pointers
        WHERE (queue_id, topic) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY queue_id, topic FOR UPDATE
        """

    var keys: [QueueKey]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(keys.map(\.queueID))
        bindings.append(keys.map(\.topic))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
