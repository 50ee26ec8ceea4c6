/// A store that can scan the ready line and fill several batches, each from several queues in
/// turn, in one transaction (both built-in stores do). The manager uses it when the store offers
/// it; otherwise it scans with `readyQueues` and leases one queue per batch with `lease(queue:)`.
public protocol BatchLeasing: JobStore {
    /// Scans up to `scan` ready queues of `topics`, least recently served first, and fills one
    /// batch within `limits` per list of queues `plan` makes of them, taking the queues of a list
    /// in order and skipping those whose topic has no room left. Nil when no queue is ready.
    func take(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limits: BatchLimits, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]?
}
