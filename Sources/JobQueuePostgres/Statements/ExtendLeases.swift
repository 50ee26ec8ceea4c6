import JobQueue
import PostgresNIO

/// Moves the expiry of the `leases` still held (job and token match) to `until`, in job id
/// order; returns how many were extended (a single row).
///
/// Prepared once per pooled connection; table names resolve through the pool's `search_path`.
struct ExtendLeases: PostgresPreparedStatement {
    static let sql = """
        WITH extended AS (
            UPDATE jobs j SET visible_at = $1::bigint, lease_expires_at = $1::bigint
            FROM unnest($2::bigint[], $3::text[]) AS l(id, token)
            WHERE j.id = l.id AND j.lease_token = l.token
            RETURNING 1
        )
        SELECT count(*) FROM extended
        """

    /// Sorted by job id.
    var leases: [(job: JobID, lease: LeaseToken)]
    var until: Timestamp

    init(_ leases: [JobID: LeaseToken], until: Timestamp) {
        self.leases = leases.map { (job: $0.key, lease: $0.value) }.sorted { $0.job.rawValue < $1.job.rawValue }
        self.until = until
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(until.rawValue)
        bindings.append(leases.map(\.job.rawValue))
        bindings.append(leases.map(\.lease.rawValue))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int {
        try row.decode(Int.self)
    }
}
