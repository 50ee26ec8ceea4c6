/// Thrown by ``withDeadline(_:_:)`` when the operation did not end in time.
package struct DeadlineExceeded: Error {
    package let timeout: Duration
}

/// Runs `operation`, giving up on it after `timeout` (nil: never) by throwing
/// ``DeadlineExceeded``, and at once, throwing `CancellationError`, when the calling task is
/// cancelled. A given-up operation is cancelled and left to end on its own.
///
/// For work that might never answer: a plugin handler run in-process that ignores its timeout, or
/// a postgres-nio query left unanswered when the server closed the connection at the wrong moment
/// (seen: a COMMIT in flight while the server restarted). One such call must not stall a host.
package func withDeadline<Value: Sendable>(
    _ timeout: Duration?, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let end = OneShot<Result<Value, any Error>>()
    let work = Task {
        do {
            end.offer(.success(try await operation()))
        } catch {
            end.offer(.failure(error))
        }
    }
    let timer = timeout.map { timeout in
        Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { end.offer(.failure(DeadlineExceeded(timeout: timeout))) }
        }
    }
    let result = await withTaskCancellationHandler {
        await end.value
    } onCancel: {
        end.offer(.failure(CancellationError()))
    }
    timer?.cancel()
    work.cancel()  // a no-op when it finished; otherwise it is given up
    return try result.get()
}
