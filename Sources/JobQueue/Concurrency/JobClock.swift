/// The time the pipeline reads and sleeps on: when leases expire, retries and scheduled jobs come
/// due, heartbeats and polls happen, and the shutdown grace ends.
///
/// ``SystemJobClock`` in production. Tests of leases, backoff and schedules use a clock they
/// advance themselves (`ManualJobClock` in JobQueueTestKit) instead of sleeping.
public protocol JobClock: Sendable {
    /// The current time, as stored timestamps count it.
    var now: Timestamp { get }

    /// Suspends for `duration` of this clock's time. Throws `CancellationError` when the task is
    /// cancelled first.
    func sleep(for duration: Duration) async throws
}

/// Wall-clock time and `Task.sleep`.
public struct SystemJobClock: JobClock {
    public init() {}

    public var now: Timestamp { .now }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
