import Synchronization

/// Fans one "something changed" signal out to every open change stream of a store, so that work
/// enqueued in this process wakes this process's scanners at once, without waiting for a check.
/// Store backends use it to implement `JobStore.changes(checkingEvery:)`.
public final class ChangeBroadcast: Sendable {
    private let listeners = Mutex<(next: Int, all: [Int: AsyncStream<Void>.Continuation])>((0, [:]))

    public init() {}

    /// Adds a change stream's continuation; it is removed when the stream ends.
    public func add(_ continuation: AsyncStream<Void>.Continuation) {
        let id = listeners.withLock { listeners in
            listeners.next += 1
            listeners.all[listeners.next] = continuation
            return listeners.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.all.removeValue(forKey: id) }
        }
    }

    /// Yields to every open change stream.
    public func signal() {
        for continuation in listeners.withLock({ Array($0.all.values) }) {
            continuation.yield()
        }
    }
}
