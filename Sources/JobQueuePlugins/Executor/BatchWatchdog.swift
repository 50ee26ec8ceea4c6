import Synchronization

/// Enforces the per-job timeout of one batch and remembers why the host killed the child, so
/// that the job that was running is charged correctly when the child's exit arrives.
///
/// One timer task per batch: arming and disarming a job only update the shared state (a job
/// costs a lock, not a task), and the task sleeps until the running job's deadline.
///
/// A deadline runs from when the host reads the job's `begin`. A host that reads events late
/// (an overloaded machine) may kill a child whose job had in fact just ended: that job's
/// outcome still counts, and the job the child had begun next goes back to its queue uncharged.
final class BatchWatchdog: Sendable {
    private struct State {
        /// The job that is running and when it began.
        var armed: (index: Int, began: ContinuousClock.Instant)?
        /// The job whose timeout killed the child.
        var timedOut: Int?
        /// The host killed the child (timeout or cancellation): its death is not the job's crash.
        var killed = false
        var timer: Task<Void, Never>?
    }

    private let handle: BatchHandle
    private let timeout: Duration?
    private let state = Mutex(State())

    init(handle: BatchHandle, timeout: Duration?) {
        self.handle = handle
        self.timeout = timeout
    }

    /// Job `index` has begun: the child is killed if it is still running after the timeout.
    func arm(_ index: Int) {
        guard let timeout else { return }
        let now = ContinuousClock.now
        state.withLock { state in
            state.armed = (index, now)
            if state.timer == nil {
                state.timer = Task { [weak self] in
                    guard let self else { return }
                    await self.watch(timeout)
                }
            }
        }
    }

    /// Job `index` has finished in time.
    func disarm(_ index: Int) {
        state.withLock { state in
            if state.armed?.index == index { state.armed = nil }
        }
    }

    /// The task running the batch was cancelled: kill the child, charge nobody.
    func killForCancellation() {
        state.withLock { $0.killed = true }
        handle.kill()
    }

    /// Stops the timer; call when the batch is over.
    func stop() {
        let timer = state.withLock { state in
            state.armed = nil
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
    }

    /// Which job timed out (if any) and whether the host killed the child at all.
    var verdict: (timedOut: Int?, killed: Bool) {
        state.withLock { ($0.timedOut, $0.killed) }
    }

    /// Sleeps until the running job's deadline, kills the child if that job is still running
    /// then; with no job running, sleeps a whole timeout (a job beginning meanwhile has a later
    /// deadline than the wake-up).
    private func watch(_ timeout: Duration) async {
        while !Task.isCancelled {
            let armed = state.withLock { $0.armed }
            guard let armed else {
                try? await Task.sleep(for: timeout)
                continue
            }
            let deadline = armed.began + timeout
            if ContinuousClock.now < deadline {
                try? await Task.sleep(until: deadline)
                continue
            }
            let expired = state.withLock { state in
                guard let current = state.armed, current.index == armed.index, current.began == armed.began, !state.killed else { return false }
                state.timedOut = armed.index
                state.killed = true
                return true
            }
            if expired {
                handle.kill()
                return
            }
        }
    }
}
