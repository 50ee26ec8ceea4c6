import JobQueue
import Synchronization

/// Wraps the executor under test to count completions, add up the time batches spend in the
/// executor (busy consumer-seconds) and, for the jobs `track` selects, note when each was handed
/// to the executor and when its outcome came back. It adds one lock per job; everything else is
/// the wrapped executor's.
final class ObservedExecutor: JobExecutor {
    struct Times: Sendable {
        var dispatched: UInt64?
        var completed: UInt64?
    }

    private struct State {
        var processed = 0
        var busyNanos: UInt64 = 0
        var times: [String: Times] = [:]
        var waiters: [String: CheckedContinuation<Void, Never>] = [:]
        var onCount: (count: Int, action: @Sendable () -> Void)?
    }

    let inner: any JobExecutor
    /// Which jobs to time, by queue id (nil: none).
    private let track: (@Sendable (String) -> Bool)?
    private let state = Mutex(State())

    init(_ inner: any JobExecutor, track: (@Sendable (String) -> Bool)? = nil) {
        self.inner = inner
        self.track = track
    }

    var policies: TopicPolicies { inner.policies }

    var processed: Int { state.withLock { $0.processed } }

    /// Seconds batches spent in the executor, added up over the consumers running them.
    var busySeconds: Double { state.withLock { Double($0.busyNanos) / 1e9 } }

    /// Times of the tracked jobs, by queue id.
    var times: [String: Times] { state.withLock { $0.times } }

    /// Calls `action` once `count` jobs in all have been processed.
    func whenProcessed(_ count: Int, _ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            if state.processed >= count { return true }
            state.onCount = (count, action)
            return false
        }
        if now { action() }
    }

    /// Waits until the tracked job of `queue` has completed, or `timeout` has passed; true if it
    /// completed.
    func completion(of queue: String, timeout: Duration = .seconds(30)) async -> Bool {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            let waiter = state.withLock { $0.waiters.removeValue(forKey: queue) }
            waiter?.resume()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.times[queue]?.completed != nil { return true }
                state.waiters[queue] = continuation
                return false
            }
            if done { continuation.resume() }
        }
        return state.withLock { $0.times[queue]?.completed != nil }
    }

    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        var queues: [JobID: String] = [:]
        if let track {
            let now = Monotonic.nanos()
            let tracked = batch.filter { track($0.queueID) }
            if !tracked.isEmpty {
                state.withLock { state in
                    for job in tracked { state.times[job.queueID, default: Times()].dispatched = now }
                }
                for job in tracked { queues[job.id] = job.queueID }
            }
        }
        let trackedQueues = queues
        let started = Monotonic.nanos()
        defer {
            let elapsed = Monotonic.nanos() &- started
            state.withLock { $0.busyNanos += elapsed }
        }
        await inner.run(batch) { id, completion in
            let now = Monotonic.nanos()
            await report(id, completion)
            let (waiter, action) = self.state.withLock { state in
                state.processed += 1
                var waiter: CheckedContinuation<Void, Never>?
                if let queue = trackedQueues[id] {
                    state.times[queue, default: Times()].completed = now
                    waiter = state.waiters.removeValue(forKey: queue)
                }
                var action: (@Sendable () -> Void)?
                if let onCount = state.onCount, state.processed >= onCount.count {
                    action = onCount.action
                    state.onCount = nil
                }
                return (waiter, action)
            }
            waiter?.resume()
            action?()
        }
    }
}
