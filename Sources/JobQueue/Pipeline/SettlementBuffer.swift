import Synchronization

/// Collects the settlements of one batch and applies them in as few store calls as possible: the
/// first is applied at once, and those that arrive while a call is in flight go together in the
/// next one. Outcomes stay prompt under light load and are batched under heavy load.
final class SettlementBuffer: Sendable {
    private struct State {
        var pending: [Settlement] = []
        var flusher: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let apply: @Sendable ([Settlement]) async -> Void

    init(apply: @escaping @Sendable ([Settlement]) async -> Void) {
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

    /// Returns once everything added so far has been applied.
    func finish() async {
        while let flusher = state.withLock({ $0.flusher }) {
            await flusher.value
        }
    }

    private func flush() async {
        while true {
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
