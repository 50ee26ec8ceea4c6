import Synchronization

/// Wakes one sleeping waiter early. A ring with nobody waiting is remembered until the next wait,
/// so a signal between "found nothing" and "go to sleep" is never lost.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes the waiter, or the next one to wait if nobody waits now.
    public func ring() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil as CheckedContinuation<Void, Never>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on a ring, or when the task is cancelled.
    public func wait() async {
        if !takeRing() { await waitForRing() }
    }

    /// Consumes a ring remembered from when nobody waited; true if there was one.
    private func takeRing() -> Bool {
        state.withLock { state in
            defer { state.rung = false }
            return state.rung
        }
    }

    /// Returns on a ring, after `timeout` of `clock`'s time, or when the task is cancelled,
    /// whichever comes first: true when it was a ring.
    @discardableResult
    public func wait(upTo timeout: Duration, on clock: any JobClock = SystemJobClock()) async -> Bool {
        if takeRing() { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.waitForRing()
                return !Task.isCancelled
            }
            group.addTask {
                try? await clock.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
