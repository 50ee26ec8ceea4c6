import Synchronization

/// Collects the settlements of one batch and applies them in as few store calls as possible: each
/// call waits up to `hold` for more to join it, until the batch ends (`finish`); from then on
/// everything left goes at once.
///
/// The hold is what keeps jobs of a millisecond or two from being settled one store call each: a
/// PostgreSQL completion (a round trip and a commit) lasts about as long as such a job, so without
/// it nearly every job paid a commit of its own. A batch of one job, or a batch that ends within
/// the hold, is settled as soon as it ends.
final class SettlementBuffer: Sendable {
    private struct State {
        var pending: [Settlement] = []
        var flusher: Task<Void, Never>?
        var ended = false
    }

    private let state = Mutex(State())
    private let hold: Duration
    private let batchEnded = Doorbell()
    private let apply: @Sendable ([Settlement]) async -> Void

    init(hold: Duration = .zero, apply: @escaping @Sendable ([Settlement]) async -> Void) {
        self.hold = hold
        self.apply = apply
    }

    func add(_ settlement: Settlement) {
        state.withLock { state in
            state.pending.append(settlement)
            if state.flusher == nil {
                state.flusher = Task { await self.flush() }
            }
        }
    }

    /// Ends the hold and returns once everything added so far has been applied.
    func finish() async {
        state.withLock { $0.ended = true }
        batchEnded.ring()
        while let flusher = state.withLock({ $0.flusher }) {
            await flusher.value
        }
    }

    private func flush() async {
        while true {
            if hold > .zero && !state.withLock({ $0.ended }) { await batchEnded.wait(upTo: hold) }
            let next = state.withLock { state in
                let next = state.pending
                state.pending.removeAll()
                if next.isEmpty { state.flusher = nil }
                return next
            }
            if next.isEmpty { return }
            await apply(next)
        }
    }
}
