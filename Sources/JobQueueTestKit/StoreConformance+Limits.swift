import JobQueue
import Synchronization
import Testing

/// The checks of topics' limits: `max_running`, `max_running_per_queue` and `rate`, held by
/// takes that run at once (see ``StoreConformance``).
extension StoreConformance {
    static let limitChecks: [Check] = [
        Check("maxRunningHoldsWhileTakesRunAtOnce", maxRunningHoldsWhileTakesRunAtOnce),
        Check("aTopicAtMaxRunningWaitsForASettleOrAnExpiredLease", aTopicAtMaxRunningWaitsForASettleOrAnExpiredLease),
        Check("aQueueAtMaxRunningPerQueueLeavesTheScanUntilASlotFrees", aQueueAtMaxRunningPerQueueLeavesTheScanUntilASlotFrees),
        Check("aBatchCountsOnceWhateverItHolds", aBatchCountsOnceWhateverItHolds),
        Check("maxRunningPerQueueHoldsWhileTakesRunAtOnce", maxRunningPerQueueHoldsWhileTakesRunAtOnce),
        Check("rateHoldsInEveryWindowWhileTakesRunAtOnce", rateHoldsInEveryWindowWhileTakesRunAtOnce),
        Check("takesAtOnceLeaseExactlyUpToTheLimits", takesAtOnceLeaseExactlyUpToTheLimits),
        Check("aReleasedQueueKeepsItsPlaceInTheReadyLine", aReleasedQueueKeepsItsPlaceInTheReadyLine),
        Check("jobsLeasedBeforeALimitWasSetCount", jobsLeasedBeforeALimitWasSetCount),
    ]

    /// One take of `topic` in a single batch over every ready queue.
    static func takeLimited(
        _ store: any JobStore, topic: String = "t", limits: TopicLimits, batchSize: Int = 10, lease: Duration = .seconds(30), now: Timestamp
    ) async throws -> [LeasedJob] {
        try await store.take(
            topics: [topic], scan: 50, plan: { [$0] }, limits: BatchLimits(batchSize: batchSize, topicLimits: [topic: limits]),
            duration: lease, owner: "test", now: now)?.flatMap { $0 } ?? []
    }

    /// Workers that take and settle at once until `jobs` jobs are done, each holding the batch it
    /// took for a moment. Returns the most batches held at once, overall and per queue (a batch
    /// runs its jobs one after another: these bound the jobs running at once): counted up when a
    /// take returns and down before the settle starts, so never more than the store counts.
    static func runAtOnce(_ store: any JobStore, workers: Int, jobs: Int, limits: TopicLimits) async throws -> (overall: Int, perQueue: Int) {
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    let deadline = ContinuousClock.now + .seconds(60)
                    while tally.state.withLock({ $0.done }) < jobs && ContinuousClock.now < deadline {
                        let taken = try await takeLimited(store, limits: limits, batchSize: 3, now: .now)
                        if taken.isEmpty {
                            try await Task.sleep(for: .milliseconds(1))
                            continue
                        }
                        let queues = Set(taken.map(\.queueID))
                        tally.state.withLock { tally in
                            tally.running += 1
                            tally.most = max(tally.most, tally.running)
                            for queue in queues {
                                tally.perQueue[queue, default: 0] += 1
                                tally.mostPerQueue = max(tally.mostPerQueue, tally.perQueue[queue]!)
                            }
                        }
                        // Long enough for another worker's take to end meanwhile on a busy machine.
                        try await Task.sleep(for: .milliseconds(150))
                        tally.state.withLock { tally in
                            tally.running -= 1
                            for queue in queues { tally.perQueue[queue]! -= 1 }
                            tally.done += taken.count
                        }
                        try await store.settle(taken.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
                    }
                }
            }
            try await group.waitForAll()
        }
        let result = tally.state.withLock { $0 }
        #expect(result.done == jobs, "every job ran")
        return (result.most, result.mostPerQueue)
    }

    /// What ``runAtOnce(_:workers:jobs:limits:)`` counts.
    private final class Tally: Sendable {
        struct State { var done = 0, running = 0, most = 0, perQueue: [String: Int] = [:], mostPerQueue = 0 }
        let state = Mutex(State())
    }

    static func maxRunningHoldsWhileTakesRunAtOnce(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<48).map { .make("q\($0 % 6)", payload: "\($0)") })
        let most = try await runAtOnce(store, workers: 8, jobs: 48, limits: TopicLimits(maxRunning: 3))
        #expect(most.overall <= 3, "never more batches than max_running")
        #expect(most.overall >= 2, "the limit is used")
    }

    static func aTopicAtMaxRunningWaitsForASettleOrAnExpiredLease(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<4).map { .make(payload: "\($0)") })
        let limits = TopicLimits(maxRunning: 2)
        let now = Timestamp.now + .seconds(1)
        let first = try await takeLimited(store, limits: limits, batchSize: 1, lease: .seconds(10), now: now)
        #expect(first.count == 1)
        #expect(try await takeLimited(store, limits: limits, batchSize: 1, lease: .seconds(10), now: now).count == 1)
        #expect(try await takeLimited(store, limits: limits, now: now + .seconds(1)).isEmpty, "a topic at its limit is passed over")
        #expect(
            try await store.nextVisibleTime(topics: ["t"], limits: ["t": limits], now: now + .seconds(1)) == now + .seconds(10),
            "with nothing settling, a slot frees when the earliest lease runs out")
        #expect(try #require(try await store.nextVisibleTime(topics: ["t"])) <= now, "limits aside, work is ready")

        try await store.settle([Settlement(job: first[0].id, lease: first[0].lease, action: .complete)])
        #expect(try await takeLimited(store, limits: limits, batchSize: 1, now: now + .seconds(2)).count == 1, "a settle frees one slot")
        #expect(try await takeLimited(store, limits: limits, now: now + .seconds(3)).isEmpty)
        let afterExpiry = try await takeLimited(store, limits: limits, now: now + .seconds(10) + .milliseconds(1))
        #expect(Set(afterExpiry.map(\.text)) == ["1", "3"], "the expired lease's slot is free again (a crashed host frees its slots)")
        #expect(try await takeLimited(store, limits: limits, now: now + .seconds(11)).isEmpty)
    }

    static func aQueueAtMaxRunningPerQueueLeavesTheScanUntilASlotFrees(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<3).map { .make("busy", payload: "b\($0)") } + (0..<3).map { .make("calm", payload: "c\($0)") })
        let limits = TopicLimits(maxRunningPerQueue: 1)
        let now = Timestamp.now + .seconds(1)
        let busy = try await takeLimited(store, limits: limits, batchSize: 2, now: now)
        #expect(busy.map(\.text) == ["b0", "b1"])
        #expect(try await takeLimited(store, limits: limits, batchSize: 2, now: now).map(\.text) == ["c0", "c1"])
        #expect(
            try await store.readyQueues(topics: ["t"], now: now + .seconds(1), limit: 10).isEmpty,
            "queues at their limit leave the ready line (their pointers wait for the earliest lease)")
        #expect(try await store.nextVisibleTime(topics: ["t"], limits: ["t": limits], now: now) == now + .seconds(30))

        _ = try await store.enqueue([.make("busy", payload: "b3")])
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(1), limit: 10).isEmpty, "new work leaves a held queue held")

        try await store.settle([Settlement(job: busy[0].id, lease: busy[0].lease, action: .complete)])
        #expect(
            try await store.readyQueues(topics: ["t"], now: now + .seconds(1), limit: 10).isEmpty,
            "the batch holds its queue until its last job settles: the queue stays held")
        try await store.settle([Settlement(job: busy[1].id, lease: busy[1].lease, action: .complete)])
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(1), limit: 10) == [QueueKey(queueID: "busy", topic: "t")])
        let next = try await takeLimited(store, limits: limits, now: now + .seconds(3))
        #expect(next.map(\.text) == ["b2", "b3"], "the freed slot serves the next batch")

        // A queue a take finds at its limit (its batch taken without one, as before a reload
        // added it) is held by that take.
        _ = try await store.enqueue((0..<2).map { .make("other", payload: "o\($0)") })
        #expect(try await takeLimited(store, limits: .none, batchSize: 1, now: now + .seconds(3)).map(\.text) == ["o0"])
        #expect(try await takeLimited(store, limits: limits, now: now + .seconds(3)).isEmpty)
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(3), limit: 10).isEmpty, "found at its limit: held")
    }

    static func aBatchCountsOnceWhateverItHolds(_ store: any JobStore) async throws {
        // A batch runs its jobs one after another: it may hold many jobs of a queue or topic
        // limited to one running job, and a second batch gets none of them.
        _ = try await store.enqueue((0..<6).map { .make("q\($0 % 2)", payload: "\($0)") })
        let limits = TopicLimits(maxRunning: 1, maxRunningPerQueue: 1)
        let now = Timestamp.now + .seconds(1)
        #expect(try await takeLimited(store, limits: limits, batchSize: 4, now: now).count == 4)
        #expect(try await takeLimited(store, limits: limits, batchSize: 4, now: now).isEmpty)
    }

    static func maxRunningPerQueueHoldsWhileTakesRunAtOnce(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<48).map { .make("q\($0 % 4)", payload: "\($0)") })
        let most = try await runAtOnce(store, workers: 8, jobs: 48, limits: TopicLimits(maxRunningPerQueue: 1))
        #expect(most.perQueue <= 1, "never more batches per queue than max_running_per_queue")
        #expect(most.overall >= 2, "queues run side by side")
    }

    static func rateHoldsInEveryWindowWhileTakesRunAtOnce(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<40).map { .make("q\($0 % 3)", payload: "\($0)") })
        let limits = TopicLimits(rate: RateLimit(count: 5, period: .milliseconds(200)))
        // Rounds 50 ms apart, eight takes at once in each, at a time the test sets: a start's time
        // is exactly its round's.
        var starts: [Timestamp] = []
        var now = Timestamp.now + .seconds(1)
        for _ in 0..<60 where starts.count < 40 {
            let taken = try await withThrowingTaskGroup(of: [LeasedJob].self) { [now] group in
                for _ in 0..<8 { group.addTask { try await takeLimited(store, limits: limits, batchSize: 2, now: now) } }
                return try await group.reduce(into: [LeasedJob]()) { $0 += $1 }
            }
            starts += taken.map { _ in now }
            try await store.settle(taken.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
            now = now + .milliseconds(50)
        }
        #expect(starts.count == 40, "every job started")
        let busiest = starts.map { start in starts.filter { $0 >= start && $0 < start + .milliseconds(200) }.count }.max() ?? 0
        #expect(busiest == 5, "never more than 5 starts in 200 ms, and the rate is used")
    }

    static func takesAtOnceLeaseExactlyUpToTheLimits(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<40).map { .make("q\($0 % 4)", "whole", payload: "\($0)") })
        _ = try await store.enqueue((0..<40).map { .make("q\($0 % 4)", "tenants", payload: "\($0)") })
        let now = Timestamp.now + .seconds(1)
        for (topic, limits) in [("whole", TopicLimits(maxRunning: 5)), ("tenants", TopicLimits(maxRunningPerQueue: 2))] {
            // Takes at once (some may pass over a topic another take is counting), then takes
            // alone until one finds nothing: exactly the limit, no settles. Each take is a batch.
            var batches = try await withThrowingTaskGroup(of: [LeasedJob].self) { group in
                for _ in 0..<8 { group.addTask { try await takeLimited(store, topic: topic, limits: limits, batchSize: 3, now: now) } }
                return try await group.reduce(into: [[LeasedJob]]()) { $0.append($1) }
            }
            for _ in 0..<10 {
                let batch = try await takeLimited(store, topic: topic, limits: limits, batchSize: 3, now: now)
                if batch.isEmpty { break }
                batches.append(batch)
            }
            batches.removeAll { $0.isEmpty }
            let leased = batches.joined()
            #expect(Set(leased.map(\.id)).count == leased.count, "no job leased twice")
            if topic == "whole" {
                #expect(batches.count == 5, "whole: \(batches.count) batches")
            } else {
                let perQueue = Dictionary(grouping: batches.flatMap { batch in Set(batch.map(\.queueID)) }, by: { $0 }).mapValues(\.count)
                #expect(perQueue == ["q0": 2, "q1": 2, "q2": 2, "q3": 2], "tenants: batches per queue \(perQueue)")
            }
        }
    }

    static func aReleasedQueueKeepsItsPlaceInTheReadyLine(_ store: any JobStore) async throws {
        // `late` has the older jobs, but `early` is served first: once both are released, `early`
        // has waited longer since it was served and comes first (as it would without a limit).
        _ = try await store.enqueue((0..<2).map { .make("late", payload: "l\($0)") })
        _ = try await store.enqueue((0..<2).map { .make("early", payload: "e\($0)") })
        let limits = BatchLimits(batchSize: 1, topicLimits: ["t": TopicLimits(maxRunningPerQueue: 1)])
        let now = Timestamp.now + .seconds(1)
        var taken: [LeasedJob] = []
        for (queue, at) in [("early", now), ("late", now + .seconds(1))] {
            let key = QueueKey(queueID: queue, topic: "t")
            taken +=
                try await store.take(
                    topics: ["t"], scan: 10, plan: { _ in [[key]] }, limits: limits, duration: .seconds(30), owner: "test", now: at)?.flatMap { $0 }
                ?? []
        }
        #expect(taken.map(\.text) == ["e0", "l0"])
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(2), limit: 10).isEmpty)
        try await store.settle(taken.reversed().map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        #expect(
            try await store.readyQueues(topics: ["t"], now: now + .seconds(2), limit: 10).map(\.queueID) == ["early", "late"],
            "released to when each was served, not to its oldest job")
    }

    static func jobsLeasedBeforeALimitWasSetCount(_ store: any JobStore) async throws {
        // Jobs taken while the topic had no limit (before a reload added one, or by a host
        // without it) count once it has one.
        _ = try await store.enqueue((0..<6).map { .make("q\($0 % 2)", payload: "\($0)") })
        let now = Timestamp.now + .seconds(1)
        for _ in 0..<3 { #expect(try await takeLimited(store, limits: .none, batchSize: 1, now: now).count == 1) }
        #expect(try await takeLimited(store, limits: TopicLimits(maxRunning: 3), now: now).isEmpty, "three batches run already")
        #expect(try await takeLimited(store, limits: TopicLimits(maxRunning: 4), now: now).count == 3)
    }
}
