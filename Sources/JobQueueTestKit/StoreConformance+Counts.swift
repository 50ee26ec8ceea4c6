import JobQueue
import Testing

/// The checks of what `status` counts per queue, through every way a job comes and goes (see
/// ``StoreConformance``). Stores keep these counts in step with their writes rather than count
/// every job, so each write path is a way for them to drift.
extension StoreConformance {
    static let countChecks: [Check] = [
        Check("statusCountsFollowEveryWayAJobComesAndGoes", statusCountsFollowEveryWayAJobComesAndGoes)
    ]

    /// Each queue's counts as `[ready, scheduled, leased, dead, cancelled]`, by "queue/topic".
    private static func counts(_ store: any JobStore, at now: Timestamp) async throws -> [String: [Int]] {
        Dictionary(
            uniqueKeysWithValues: try await store.status(now: now).queues.map {
                ("\($0.queueID)/\($0.topic)", [$0.ready, $0.scheduled, $0.leased, $0.dead, $0.cancelled])
            })
    }

    /// Expects `expected` of the counts at `now` (of `queue` only, when given).
    private static func expectCounts(
        _ store: any JobStore, at now: Timestamp, _ expected: [String: [Int]], of queue: String? = nil, _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let counted = try await counts(store, at: now).filter { queue == nil || $0.key == queue }
        #expect(counted == expected, comment, sourceLocation: sourceLocation)
    }

    static func statusCountsFollowEveryWayAJobComesAndGoes(_ store: any JobStore) async throws {
        let later = Timestamp.now + .seconds(3600)
        let ids = try await store.enqueue([
            .make(payload: "a"), .make(payload: "b"), .make(payload: "c"),
            .make(payload: "d", visibleAt: later), .make(payload: "e", visibleAt: later),
            .make("q", "u", payload: "f"), .make(payload: "g", uniqueKey: "k"), .make(payload: "g again", uniqueKey: "k"),
        ])
        let now = Timestamp.now
        try await expectCounts(store, at: now, ["q/t": [4, 2, 0, 0, 0], "q/u": [1, 0, 0, 0, 0]], "a duplicate adds nothing")

        let ab = try await leaseAll(store, limit: 2, now: now)
        try #require(ab.map(\.id) == [ids[0], ids[1]])
        try await expectCounts(store, at: now, ["q/t": [2, 2, 2, 0, 0]], of: "q/t")
        try await store.settle([
            Settlement(job: ab[0].id, lease: ab[0].lease, action: .complete),
            Settlement(job: ab[1].id, lease: ab[1].lease, action: .retry(at: later, error: "again later")),
        ])
        try await expectCounts(store, at: now, ["q/t": [2, 3, 0, 0, 0]], of: "q/t", "done, and put off")

        let c = try await leaseAll(store, limit: 1, now: now)
        try await store.settle([Settlement(job: c[0].id, lease: c[0].lease, action: .bury(.failed, reason: "boom"))])
        try await expectCounts(store, at: now, ["q/t": [1, 3, 0, 1, 0]], of: "q/t")

        // A lease that runs out holds nothing: its job counts as ready again. From here on, the
        // clock is ten minutes on (what the stores stamp with the real time is then in the past).
        let soon = now + .seconds(600)
        let g = try await leaseAll(store, limit: 1, lease: .milliseconds(1), now: now)
        #expect(g.map(\.id) == [ids[6]])
        try await expectCounts(store, at: now, ["q/t": [0, 3, 1, 1, 0]], of: "q/t")
        try await expectCounts(store, at: soon, ["q/t": [1, 3, 0, 1, 0]], of: "q/t")

        // Taken again, then given back unstarted; then kept as completed.
        let again = try await leaseAll(store, limit: 1, now: soon)
        #expect(again.map(\.id) == [ids[6]])
        try await expectCounts(store, at: soon, ["q/t": [0, 3, 1, 1, 0]], of: "q/t", "the expired lease is not counted twice")
        try await store.settle([Settlement(job: again[0].id, lease: again[0].lease, action: .release)])
        try await expectCounts(store, at: soon, ["q/t": [1, 3, 0, 1, 0]], of: "q/t")
        let kept = try await leaseAll(store, limit: 1, now: soon)
        try await store.settle([Settlement(job: kept[0].id, lease: kept[0].lease, action: .keep)])
        try await expectCounts(store, at: soon, ["q/t": [0, 3, 0, 1, 0]], of: "q/t", "a completed job kept is not queued")

        // Cancelled while scheduled, cancelled while running; dead letters retried and purged.
        _ = try await store.cancel(.ids([ids[3]]), reason: "not needed", now: soon)
        let f = try await leaseAll(store, QueueKey(queueID: "q", topic: "u"), now: soon)
        try #require(f.count == 1)
        try await expectCounts(store, at: soon, ["q/u": [0, 0, 1, 0, 0]], of: "q/u")
        _ = try await store.cancel(.queue("q", topic: "u"), reason: "stop", now: soon)
        #expect(try await store.settle([Settlement(job: f[0].id, lease: f[0].lease, action: .complete)]) == [false])
        try await expectCounts(store, at: soon, ["q/t": [0, 2, 0, 1, 1], "q/u": [0, 0, 0, 0, 1]])
        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(ids: [ids[2]]), now: soon) == 1)
        try await expectCounts(store, at: soon, ["q/t": [1, 2, 0, 0, 1]], of: "q/t")
        #expect(try await store.purgeDeadLetters(matching: DeadLetterSelector(topic: "u")) == 1)
        try await expectCounts(store, at: soon, ["q/t": [1, 2, 0, 0, 1]], "a queue with nothing left is not listed")

        // Dead letters past their retention are pruned; scheduled jobs come due.
        _ = try await store.prune(completedBefore: now, deadBefore: soon + .seconds(1), limit: 100)
        try await expectCounts(store, at: soon, ["q/t": [1, 2, 0, 0, 0]])
        try await expectCounts(store, at: later, ["q/t": [3, 0, 0, 0, 0]])
        let rest = try await leaseAll(store, limit: 10, now: later)
        try await store.settle(rest.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        #expect(try await counts(store, at: later).isEmpty, "nothing left, nothing listed")
    }
}
