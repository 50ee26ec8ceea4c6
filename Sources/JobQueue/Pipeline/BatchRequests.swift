import Synchronization

/// A consumer asking the manager for its next batch; nil means "stop".
typealias BatchRequest = CheckedContinuation<[LeasedJob]?, Never>

/// Consumers' requests for their next batch. The manager takes every request waiting at once, so
/// that one scan and one transaction can serve all the consumers that are idle.
final class BatchRequests: Sendable {
    private struct State {
        var waiting: [BatchRequest] = []
        var finished = false
        var manager: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// A consumer's side: its next batch, or nil once the worker stops.
    func next() async -> [LeasedJob]? {
        await withCheckedContinuation { (continuation: BatchRequest) in
            let (accepted, manager) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                if state.finished { return (false, nil) }
                state.waiting.append(continuation)
                defer { state.manager = nil }
                return (true, state.manager)
            }
            if !accepted { continuation.resume(returning: nil) }
            manager?.resume()
        }
    }

    /// The manager's side: waits for at least one request and takes every one that is waiting.
    /// Nil once finished or when the calling task is cancelled.
    func take() async -> [BatchRequest]? {
        while !Task.isCancelled {
            let taken = state.withLock { state -> [BatchRequest]?? in
                if !state.waiting.isEmpty {
                    defer { state.waiting.removeAll() }
                    return .some(state.waiting)
                }
                return state.finished ? .some(nil) : .none
            }
            if case .some(let requests) = taken { return requests }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { state in
                        if !state.waiting.isEmpty || state.finished || Task.isCancelled { return true }
                        state.manager = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                let manager = state.withLock { state in
                    defer { state.manager = nil }
                    return state.manager
                }
                manager?.resume()
            }
        }
        return nil
    }

    /// Requests that arrived since the last take, without waiting.
    func takeWaiting() -> [BatchRequest] {
        state.withLock { state in
            defer { state.waiting.removeAll() }
            return state.waiting
        }
    }

    /// No more batches: waiting and later requests get nil, and the manager's `take` returns nil.
    func finish() {
        let (waiting, manager) = state.withLock { state in
            state.finished = true
            defer {
                state.waiting.removeAll()
                state.manager = nil
            }
            return (state.waiting, state.manager)
        }
        for request in waiting { request.resume(returning: nil) }
        manager?.resume()
    }
}
