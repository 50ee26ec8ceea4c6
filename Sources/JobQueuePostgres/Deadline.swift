import Synchronization

/// Thrown when a store operation got no answer in time.
struct DeadlineExceeded: Error {}

/// Runs `operation`, giving up on it after `timeout`. postgres-nio can leave a query unanswered
/// when the server closes the connection at the wrong moment (seen: a COMMIT in flight while the
/// server restarted), and one hung call would stall a host for good. An abandoned operation is
/// cancelled and left to end on its own.
func withDeadline<Result: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let race = FirstResult<Result>()
    let work = Task {
        do {
            race.deliver(.success(try await operation()))
        } catch {
            race.deliver(.failure(error))
        }
    }
    let timer = Task {
        try await Task.sleep(for: timeout)
        race.deliver(.failure(DeadlineExceeded()))
        work.cancel()
    }
    defer { timer.cancel() }
    return try await withTaskCancellationHandler {
        try await race.value()
    } onCancel: {
        work.cancel()
    }
}

/// The first of several results delivered, handed to one waiter.
private final class FirstResult<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var waiter: CheckedContinuation<Value, any Error>?
    }

    private let state = Mutex(State())

    func deliver(_ result: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                if state.result == nil { state.waiter = continuation }
                return state.result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
