import Synchronization

/// Hands each event from the fork server to whoever waits for it: a batch's event stream, the
/// oldest pending `load`, or `shutdown` waiting for the server's exit.
final class EventRouter: Sendable {
    private struct State {
        var nextBatch: UInt64 = 1
        var batches: [UInt64: AsyncStream<[BatchEvent]>.Continuation] = [:]
        /// LOADED events answer LOAD commands in order.
        var pendingLoads: [CheckedContinuation<[PluginLoadResult], any Error>] = []
        var exitWaiters: [CheckedContinuation<WaitStatus?, Never>] = []
        /// Set once the server's event pipe has ended.
        var ended = false
        var exitStatus: WaitStatus?
    }

    private let state = Mutex(State())

    /// A new batch id and the stream its events will arrive on. Once the server has ended the
    /// stream just says `.lost`.
    func openBatch() -> (id: UInt64, events: BatchEvents) {
        let (stream, continuation) = AsyncStream<[BatchEvent]>.makeStream(bufferingPolicy: .unbounded)
        let (id, ended) = state.withLock { state in
            let id = state.nextBatch
            state.nextBatch += 1
            if !state.ended { state.batches[id] = continuation }
            return (id, state.ended)
        }
        if ended {
            continuation.yield([.lost("the fork server has exited")])
            continuation.finish()
        }
        return (id, BatchEvents(bursts: stream))
    }

    /// Forgets a batch whose RUN could not be sent.
    func dropBatch(_ id: UInt64) {
        let continuation = state.withLock { $0.batches.removeValue(forKey: id) }
        continuation?.finish()
    }

    /// Queues `continuation` for the next LOADED event.
    func expectLoad(_ continuation: CheckedContinuation<[PluginLoadResult], any Error>) {
        let ended = state.withLock { state in
            if !state.ended { state.pendingLoads.append(continuation) }
            return state.ended
        }
        if ended { continuation.resume(throwing: ForkServerError.exited(state.withLock { $0.exitStatus })) }
    }

    /// Delivers the events of one read, in order; called on the event reader's thread. Events of
    /// the same batch go out as one burst.
    func deliver(_ events: [ServerEvent]) {
        var bursts: [(id: UInt64, events: [BatchEvent])] = []
        for event in events {
            switch event {
            case .loaded(let results):
                let waiter = state.withLock { $0.pendingLoads.isEmpty ? nil : $0.pendingLoads.removeFirst() }
                waiter?.resume(returning: results)
            case .batch(let id, let batchEvent):
                if let index = bursts.firstIndex(where: { $0.id == id }) {
                    bursts[index].events.append(batchEvent)
                } else {
                    bursts.append((id, [batchEvent]))
                }
            }
        }
        for burst in bursts {
            let isLast = burst.events.contains { event in
                switch event {
                case .exited, .rejected, .lost: true
                default: false
                }
            }
            let continuation = state.withLock { state in
                isLast ? state.batches.removeValue(forKey: burst.id) : state.batches[burst.id]
            }
            continuation?.yield(burst.events)
            if isLast { continuation?.finish() }
        }
    }

    /// The server has ended (its event pipe closed and it was reaped): ends every stream with
    /// `.lost`, fails pending loads and wakes whoever waits for the exit.
    func end(exitStatus: WaitStatus?) {
        let (batches, loads, waiters) = state.withLock { state in
            state.ended = true
            state.exitStatus = exitStatus
            defer {
                state.batches = [:]
                state.pendingLoads = []
                state.exitWaiters = []
            }
            return (state.batches, state.pendingLoads, state.exitWaiters)
        }
        let reason = "the fork server \(exitStatus.map { "\($0)" } ?? "went away") before the batch ended"
        for continuation in batches.values {
            continuation.yield([.lost(reason)])
            continuation.finish()
        }
        loads.forEach { $0.resume(throwing: ForkServerError.exited(exitStatus)) }
        waiters.forEach { $0.resume(returning: exitStatus) }
    }

    /// Whether the server has ended, and how.
    var ended: (Bool, WaitStatus?) {
        state.withLock { ($0.ended, $0.exitStatus) }
    }

    /// Waits until the server has ended; returns how it exited.
    func waitForEnd() async -> WaitStatus? {
        await withCheckedContinuation { continuation in
            let status: WaitStatus?? = state.withLock { state in
                if state.ended { return .some(state.exitStatus) }
                state.exitWaiters.append(continuation)
                return .none
            }
            if case .some(let exitStatus) = status { continuation.resume(returning: exitStatus) }
        }
    }
}
