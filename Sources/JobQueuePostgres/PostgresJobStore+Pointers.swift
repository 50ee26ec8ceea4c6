import JobQueue
import PostgresNIO

/// Keeping the pointer index in step with the jobs table, inside the caller's transaction.
///
/// A pointer's `vesting_at` is when its queue next has visible work; for a queue just served it
/// is raised to the serving time, so ready queues are scanned least recently served first.
/// A pointer row is locked before its queue's earliest job is read: an enqueue that committed
/// meanwhile is then seen, and the pointer is never raised past work that is ready.
extension PostgresJobStore {
    /// Locks the pointers of `keys`, in key order (so concurrent transactions cannot deadlock).
    func lockPointers(_ keys: [QueueKey], in transaction: PostgresTransaction) async throws {
        if keys.isEmpty { return }
        _ = try await transaction.rows(LockPointers(keys: Array(Set(keys))))
    }

    /// Recomputes the (locked) pointers of `keys` after their jobs changed (see `RefreshPointers`).
    func refreshPointers(_ keys: Set<QueueKey>, servedAt: Timestamp?, now: Timestamp, in transaction: PostgresTransaction) async throws {
        if keys.isEmpty { return }
        _ = try await transaction.rows(RefreshPointers(keys: Array(keys), servedAt: servedAt, now: now))
    }
}
