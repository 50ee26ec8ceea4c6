import Dispatch
import GRDB
import Synchronization

/// Funnels every write of a process through one connection and merges the requests that arrive
/// while a commit is in flight into the next transaction (group commit), so throughput is bounded
/// by rows per transaction rather than by fsyncs per second.
///
/// Each request runs in its own savepoint (unless it is alone in its transaction): one that throws
/// is rolled back alone and fails alone. A request's caller resumes only after the transaction
/// holding it has committed.
///
/// Writes that need no durability (leases, lease extensions, heartbeats: after a power cut the job
/// runs again, which the cut means anyway) are marked `durable: false`. With `sync: full`, a
/// transaction holding only such writes commits with `synchronous = NORMAL`, without waiting for an
/// fsync; it is still safe against the crash of any process, and the next durable commit's fsync
/// covers it. A transaction holding any durable write commits with `synchronous = FULL`.
final class GroupCommitWriter: Sendable {
    private let pool: DatabasePool
    /// `sync: full`: durable transactions fsync, the others need not.
    private let fullSync: Bool
    private let queue = DispatchQueue(label: "jobqueue.sqlite.writer")
    private let commitTimer = StoreMetrics.commitTimer(store: "sqlite")
    private let state = Mutex(State())

    private struct State {
        var pending: [Request] = []
        var draining = false
        /// Whether the connection is set to `synchronous = NORMAL` under `sync: full`.
        var relaxed = false
    }

    /// One caller's write: `apply` runs the caller's body inside the shared transaction and returns
    /// what to do once the commit's fate is known; `fail` reports a body that threw, or a
    /// transaction that never started.
    private struct Request: Sendable {
        let apply: @Sendable (Database) throws -> @Sendable (Error?) -> Void
        let fail: @Sendable (Error) -> Void
        let durable: Bool
    }

    init(pool: DatabasePool, sync: SyncMode) {
        self.pool = pool
        self.fullSync = sync == .full
    }

    /// Runs `body` in the next group transaction and returns its value once that transaction has
    /// committed. `durable: false` marks a write whose loss to a power cut is harmless.
    func write<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let request = Request(
                apply: { db in
                    let result = try body(db)
                    return { commitError in
                        if let commitError {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(returning: result)
                        }
                    }
                },
                fail: { continuation.resume(throwing: $0) },
                durable: durable
            )
            submit(request)
        }
    }

    private func submit(_ request: Request) {
        let startDrain = state.withLock { state in
            state.pending.append(request)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if startDrain {
            queue.async { self.drain() }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state in
                let batch = state.pending
                state.pending.removeAll(keepingCapacity: true)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Request]) {
        var completions: [@Sendable (Error?) -> Void] = []
        completions.reserveCapacity(batch.count)
        let started = ContinuousClock.now
        defer { commitTimer.recordElapsed(since: started) }
        do {
            try pool.writeWithoutTransaction { db in
                let relax = fullSync && !batch.contains { $0.durable }
                if relax != state.withLock({ $0.relaxed }) {
                    // Outside any transaction, where SQLite honours the change.
                    try db.execute(sql: relax ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL")
                    state.withLock { $0.relaxed = relax }
                }
                try db.inTransaction(.immediate) {
                    if batch.count == 1 {
                        // Alone in its transaction, a request needs no savepoint: if it throws, the
                        // transaction rolls back and the request fails, as its savepoint would.
                        completions.append(try batch[0].apply(db))
                    } else {
                        for request in batch {
                            do {
                                var completion: (@Sendable (Error?) -> Void)?
                                try db.inSavepoint {
                                    completion = try request.apply(db)
                                    return .commit
                                }
                                completions.append(completion!)
                            } catch {
                                completions.append { _ in request.fail(error) }
                            }
                        }
                    }
                    return .commit
                }
            }
        } catch {
            if completions.count == batch.count {
                for complete in completions { complete(error) }
            } else {
                for request in batch { request.fail(error) }
            }
            return
        }
        for complete in completions { complete(nil) }
    }
}
