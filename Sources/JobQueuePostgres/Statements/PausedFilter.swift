/// The SQL that keeps paused topics and queues out of the ready scan, stated once for every
/// statement that scans the pointer index. `tables` is "" (prepared statements, which find the
/// tables through the pool's `search_path`) or "schema.".
enum PausedFilter {
    /// The text[] SQL expression `topics` without the paused topics: computed once per
    /// statement, before the index scan, so a paused topic's queues are never read.
    static func topics(_ topics: String, tables: String) -> String {
        "ARRAY(SELECT unnest(\(topics)) EXCEPT \(pausedTopics(tables: tables)))"
    }

    /// The paused topics (as a whole), as a query.
    static func pausedTopics(tables: String) -> String {
        "SELECT topic FROM \(tables)pauses WHERE queue_id = ''"
    }

    /// The condition that a `queue_pointers` row's queue is not paused by itself.
    static func queue(tables: String) -> String {
        "NOT EXISTS (SELECT 1 FROM \(tables)pauses p WHERE p.topic = queue_pointers.topic AND p.queue_id = queue_pointers.queue_id)"
    }
}
