import Synchronization

/// Fans one "something changed" signal out to every open change stream of a store, so that work
/// enqueued in this process wakes this process's scanners at once, without waiting for a check.
/// Store backends use it to implement `JobStore.changes(checkingEvery:)`.
public final class ChangeBroadcast: Sendable {
    private let listeners = Mutex<(next: Int, all: [Int: AsyncStream<Void>.Continuation])>((0, [:]))

    public init() {}

    /// Adds a change stream's continuation; it is removed when the stream ends.
    private func add(_ continuation: AsyncStream<Void>.Continuation) {
        let id = listeners.withLock { listeners in
            listeners.next += 1
            listeners.all[listeners.next] = continuation
            return listeners.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.all.removeValue(forKey: id) }
        }
    }

    /// A change stream: every signal of this broadcast, and whatever `watch` yields (it watches
    /// other processes' commits) until it returns or the stream's consumer goes away. The stream
    /// keeps only the latest unread change: consumers re-scan rather than count.
    public func stream(watching watch: @escaping @Sendable (AsyncStream<Void>.Continuation) async -> Void) -> AsyncStream<Void> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            add(continuation)
            let watcher = Task {
                await watch(continuation)
                continuation.finish()
            }
            let previous = continuation.onTermination
            continuation.onTermination = { reason in
                watcher.cancel()
                previous?(reason)
            }
        }
    }

    /// Yields to every open change stream.
    public func signal() {
        for continuation in listeners.withLock({ Array($0.all.values) }) {
            continuation.yield()
        }
    }
}
