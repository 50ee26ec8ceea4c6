import JobQueue
import PostgresNIO

/// Deletes the jobs of `leases` that are still held under their lease token (a job whose lease
/// was lost is left alone), returning the queue of each job deleted. Rows are locked in id order,
/// so concurrent completions cannot deadlock each other.
///
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct CompleteJobs: PostgresPreparedStatement {
    static let sql = """
        DELETE FROM jobs j
        USING unnest($1::bigint[], $2::text[]) AS l(id, token)
        WHERE j.id = l.id AND j.lease_token = l.token
        RETURNING j.id, j.queue_id, j.topic
        """

    /// Sorted by job id.
    var leases: [(job: JobID, lease: LeaseToken)]

    init(_ leases: some Sequence<(job: JobID, lease: LeaseToken)>) {
        self.leases = leases.sorted { $0.job.rawValue < $1.job.rawValue }
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(leases.map(\.job.rawValue))
        bindings.append(leases.map(\.lease.rawValue))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (job: JobID, queue: QueueKey) {
        let (id, queueID, topic) = try row.decode((Int64, String, String).self)
        return (JobID(rawValue: id), QueueKey(queueID: queueID, topic: topic))
    }
}
