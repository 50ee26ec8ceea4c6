import Dispatch
import GRDB
import Synchronization

/// Funnels every write of a process through one connection and merges the requests that arrive
/// while a commit is in flight into the next transaction (group commit), so throughput is bounded
/// by rows per transaction rather than by fsyncs per second.
///
/// Each request runs in its own savepoint: one that throws is rolled back alone and fails alone.
/// A request's caller resumes only after the transaction holding it has committed.
final class GroupCommitWriter: Sendable {
    private let pool: DatabasePool
    private let queue = DispatchQueue(label: "jobqueue.sqlite.writer")
    private let state = Mutex(State())

    private struct State {
        var pending: [Request] = []
        var draining = false
    }

    /// One caller's write: `apply` runs inside the shared transaction and returns what to do once
    /// the commit's fate is known; `fail` is used when the transaction never started.
    private struct Request: Sendable {
        let apply: @Sendable (Database) -> @Sendable (Error?) -> Void
        let fail: @Sendable (Error) -> Void
    }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in the next group transaction and returns its value once that transaction commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let request = Request(
                apply: { db in
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        let result = value!
                        return { commitError in
                            if let commitError {
                                continuation.resume(throwing: commitError)
                            } else {
                                continuation.resume(returning: result)
                            }
                        }
                    } catch {
                        return { _ in continuation.resume(throwing: error) }
                    }
                },
                fail: { continuation.resume(throwing: $0) }
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
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    completions = batch.map { $0.apply(db) }
                    return .commit
                }
            }
            for complete in completions { complete(nil) }
        } catch {
            if completions.count == batch.count {
                for complete in completions { complete(error) }
            } else {
                for request in batch { request.fail(error) }
            }
        }
    }
}
