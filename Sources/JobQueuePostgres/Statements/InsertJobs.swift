import JobQueue
import PostgresNIO

/// Inserts jobs, lowers their queues' pointers and notifies listeners, in one statement; returns
/// the new ids in enqueue order.
///
/// Two ways to run it, from one SQL text: prepared on the store's pooled connections (whose
/// `search_path` is the store's schema), or as a plain query with schema-qualified table names on
/// a caller's connection, whose `search_path` is unknown (`query(schema:)`).
struct InsertJobs: PostgresPreparedStatement {
    static let sql: String = sql(tables: "")

    /// The statement with every table name prefixed by `tables`: "" or "schema.".
    ///
    /// Pointers are upserted in key order, so concurrent enqueues lock them in one order, each to
    /// the earliest pointer time of its jobs (`StoreRules.pointerTime`).
    static func sql(tables: String) -> String {
        """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[], $5::bigint[], $6::bigint[], $9::bigint[])
                WITH ORDINALITY AS i(queue_id, topic, payload, priority, visible_at, max_retries, pointer_at, n)
        ), inserted AS (
            INSERT INTO \(tables)jobs (queue_id, topic, payload, priority, visible_at, max_retries, created_at)
            SELECT queue_id, topic, payload, priority, visible_at, max_retries, $7::bigint FROM input ORDER BY n
            RETURNING id
        ), pointers AS (
            INSERT INTO \(tables)queue_pointers (queue_id, topic, vesting_at)
            SELECT queue_id, topic, min(pointer_at)
            FROM input GROUP BY queue_id, topic ORDER BY queue_id, topic
            ON CONFLICT (queue_id, topic) DO UPDATE SET \(PostgresSchema.lowerPointer)
        ), notified AS (
            SELECT pg_notify($8::text, '')
        )
        SELECT id FROM inserted, notified ORDER BY id
        """
    }

    var jobs: [NewJob]
    var now: Timestamp
    /// The store's LISTEN/NOTIFY channel.
    var channel: String

    func makeBindings() -> PostgresBindings {
        let visibleAt = jobs.map { $0.visibleAt ?? now }
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(jobs.map(\.queueID))
        bindings.append(jobs.map(\.topic))
        bindings.append(jobs.map { ByteBuffer(bytes: $0.payload) })
        bindings.append(jobs.map(\.storedPriority))
        bindings.append(visibleAt.map(\.rawValue))
        bindings.append(jobs.map(\.storedMaxRetries))
        bindings.append(now.rawValue)
        bindings.append(channel)
        bindings.append(visibleAt.map { StoreRules.pointerTime(forJobVisibleAt: $0, now: now).rawValue })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> JobID {
        JobID(rawValue: try row.decode(Int64.self))
    }

    /// The same statement as a plain query naming the tables of `schema`, for a connection whose
    /// `search_path` may be anything.
    func query(schema: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: Self.sql(tables: "\(schema)."), binds: makeBindings())
    }
}
