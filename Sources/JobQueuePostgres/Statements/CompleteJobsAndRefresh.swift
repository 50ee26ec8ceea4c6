import JobQueue
import PostgresNIO

/// Deletes the jobs of `leases` still held under their lease token and refreshes their queues'
/// pointers, in one call of the schema's `complete_jobs` function (see
/// `PostgresSchema.completeFunction`): its own transaction. Returns each deleted job's queue.
///
/// Prepared once per pooled connection; the function resolves through the pool's `search_path`.
struct CompleteJobsAndRefresh: PostgresPreparedStatement {
    static let sql = "SELECT completed_id, completed_queue, completed_topic FROM complete_jobs($1::bigint[], $2::text[], $3::bigint)"

    /// Sorted by job id, as ``CompleteJobs`` locks them.
    var completions: CompleteJobs
    var now: Timestamp

    func makeBindings() -> PostgresBindings {
        var bindings = completions.makeBindings()
        bindings.append(now.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (job: JobID, queue: QueueKey) {
        try completions.decodeRow(row)
    }
}
