import JobQueue
import PostgresNIO

/// The take's scan of the ready line: up to `limit` queues of `topics` whose pointer is due,
/// least recently served first, locking their pointer rows for the transaction. `SKIP LOCKED`
/// passes over queues another host is taking at this moment instead of waiting for it. Paused
/// topics are left out of the scan before it starts (`PausedFilter.topics`), paused queues
/// passed over.
///
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`
/// (see `PostgresStoreSettings.clientConfiguration`).
struct ScanReadyQueues: PostgresPreparedStatement {
    static let sql = scan(locking: "FOR UPDATE SKIP LOCKED")

    /// The scan, its rows locked by `locking` (a locking clause, or "" for none).
    static func scan(locking: String) -> String {
        """
        SELECT queue_id, topic FROM queue_pointers
        WHERE topic = ANY(\(PausedFilter.topics("$1::text[]", tables: ""))) AND vesting_at <= $2::bigint AND \(PausedFilter.queue(tables: ""))
        ORDER BY vesting_at LIMIT $3::bigint \(locking)
        """
    }

    var topics: [String]
    var now: Timestamp
    var limit: Int

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(topics)
        bindings.append(now.rawValue)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> QueueKey {
        let (queueID, topic) = try row.decode((String, String).self)
        return QueueKey(queueID: queueID, topic: topic)
    }
}

/// ``ScanReadyQueues`` without its locks, for a take that locks the queues it leases from as it
/// reaches them (see `PostgresSchema.takeFunction`): it may return queues another take holds.
struct PeekReadyQueues: PostgresPreparedStatement {
    static let sql = ScanReadyQueues.scan(locking: "")

    var scan: ScanReadyQueues

    func makeBindings() -> PostgresBindings { scan.makeBindings() }

    func decodeRow(_ row: PostgresRow) throws -> QueueKey { try scan.decodeRow(row) }
}
