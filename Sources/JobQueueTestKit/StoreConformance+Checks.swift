import JobQueue
import Testing

/// The checks of ``StoreConformance``: each gets a new, empty store.
extension StoreConformance {
    static let all: [Check] = [
        Check("ordersByPriorityThenVisibleTimeThenEnqueueOrder", ordersByPriorityThenVisibleTimeThenEnqueueOrder),
        Check("scheduledJobsStayInvisibleUntilTheirTime", scheduledJobsStayInvisibleUntilTheirTime),
        Check("pointerIndexFindsOnlyServedTopicsAndForgetsEmptyQueues", pointerIndexFindsOnlyServedTopicsAndForgetsEmptyQueues),
        Check("aServedQueueGoesToTheBackOfTheReadyLine", aServedQueueGoesToTheBackOfTheReadyLine),
        Check("thePointerFollowsTheEarliestJobAcrossManyPriorities", thePointerFollowsTheEarliestJobAcrossManyPriorities),
        Check("anExpiredLeaseMakesTheJobVisibleAgain", anExpiredLeaseMakesTheJobVisibleAgain),
        Check("aJobWhoseRunnerVanishedOnItsLastAttemptIsDeadLettered", aJobWhoseRunnerVanishedOnItsLastAttemptIsDeadLettered),
        Check("extendingKeepsALeaseAlive", extendingKeepsALeaseAlive),
        Check("releaseReturnsAJobWithoutChargingAnAttempt", releaseReturnsAJobWithoutChargingAnAttempt),
        Check("retryRecordsTheErrorAndSchedulesTheJob", retryRecordsTheErrorAndSchedulesTheJob),
        Check("followUpsAreStoredOnlyWithTheirSettlement", followUpsAreStoredOnlyWithTheirSettlement),
        Check("batchEnqueueIsAllOrNothing", batchEnqueueIsAllOrNothing),
        Check("deadLettersCanBeListedRetriedAndPurged", deadLettersCanBeListedRetriedAndPurged),
        Check("concurrentEnqueuesAreAllStored", concurrentEnqueuesAreAllStored),
        Check("concurrentTakesNeverLeaseAJobTwice", concurrentTakesNeverLeaseAJobTwice),
        Check("takesFillBatchesOfOneTopicWithinItsLimit", takesFillBatchesOfOneTopicWithinItsLimit),
        Check("readyLagIsHowLongReadyQueuesHaveWaited", readyLagIsHowLongReadyQueuesHaveWaited),
        Check("aHostRecordIsReadBackAsWrittenUntilItExpires", aHostRecordIsReadBackAsWrittenUntilItExpires),
    ]

    static func leaseAll(
        _ store: any JobStore, _ key: QueueKey = QueueKey(queueID: "q", topic: "t"), limit: Int = 100, lease: Duration = .seconds(30),
        now: Timestamp = .now
    ) async throws -> [LeasedJob] {
        try await store.lease(queue: key, limit: limit, duration: lease, owner: "test", now: now)
    }

    static func ordersByPriorityThenVisibleTimeThenEnqueueOrder(_ store: any JobStore) async throws {
        let base = Timestamp.now
        let earlier = Timestamp(rawValue: base.rawValue - 20)
        let jobs: [NewJob] = [
            .make(payload: "late", priority: 100, visibleAt: Timestamp(rawValue: base.rawValue - 10)),
            .make(payload: "first-fifo", priority: 100, visibleAt: earlier),
            .make(payload: "second-fifo", priority: 100, visibleAt: earlier),
            .make(payload: "urgent", priority: 1, visibleAt: base),
            .make(payload: "third-fifo", priority: 100, visibleAt: earlier),
        ]
        _ = try await store.enqueue(jobs)
        let leased = try await Self.leaseAll(store, now: base)
        #expect(leased.map(\.text) == ["urgent", "first-fifo", "second-fifo", "third-fifo", "late"])
        #expect(leased.allSatisfy { $0.attempt == 1 })
    }

    static func scheduledJobsStayInvisibleUntilTheirTime(_ store: any JobStore) async throws {
        let now = Timestamp.now
        _ = try await store.enqueue([.make(payload: "later", visibleAt: now + .seconds(60))])
        let key = QueueKey(queueID: "q", topic: "t")
        #expect(try await store.readyQueues(topics: ["t"], now: now, limit: 10).isEmpty)
        #expect(try await store.nextVisibleTime(topics: ["t"]) == now + .seconds(60))
        #expect(try await Self.leaseAll(store, now: now).isEmpty)
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(61), limit: 10) == [key])
        #expect(try await Self.leaseAll(store, now: now + .seconds(61)).map(\.text) == ["later"])
    }

    static func pointerIndexFindsOnlyServedTopicsAndForgetsEmptyQueues(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make("a", "served"), .make("b", "other"), .make("c", "other")])
        #expect(try await store.readyQueues(topics: ["served"], now: .now, limit: 10) == [QueueKey(queueID: "a", topic: "served")])
        #expect(try await store.readyQueues(topics: ["nobody"], now: .now, limit: 10).isEmpty)
        #expect(try await store.nextVisibleTime(topics: ["nobody"]) == nil)

        let jobs = try await Self.leaseAll(store, QueueKey(queueID: "a", topic: "served"))
        try await store.settle(jobs.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        // The empty queue's pointer is gone: nothing is ready or scheduled for the topic.
        #expect(try await store.readyQueues(topics: ["served"], now: .now + .seconds(3600), limit: 10).isEmpty)
        #expect(try await store.nextVisibleTime(topics: ["served"]) == nil)
        // Jobs of the unserved topic are still queued and show as ready.
        let status = try await store.status(now: .now)
        #expect(status.queues.filter { $0.topic == "other" }.map(\.ready) == [1, 1])
    }

    static func aServedQueueGoesToTheBackOfTheReadyLine(_ store: any JobStore) async throws {
        let old = Timestamp.now + .seconds(-60)
        _ = try await store.enqueue((0..<5).map { _ in .make("backlog", visibleAt: old) })
        _ = try await store.enqueue([.make("newcomer")])
        #expect(try await store.readyQueues(topics: ["t"], now: .now, limit: 1).map(\.queueID) == ["backlog"])
        _ = try await Self.leaseAll(store, QueueKey(queueID: "backlog", topic: "t"), limit: 1)
        #expect(try await store.readyQueues(topics: ["t"], now: .now, limit: 1).map(\.queueID) == ["newcomer"])
    }

    /// The pointer's time is the earliest of every priority's jobs, however many priorities a
    /// queue has (a store that finds it level by level must not stop after the first few).
    static func thePointerFollowsTheEarliestJobAcrossManyPriorities(_ store: any JobStore) async throws {
        let base = Timestamp.now
        let key = QueueKey(queueID: "q", topic: "t")
        // Priority p runs at base + (41 - p) minutes: the least urgent (40) is due first.
        _ = try await store.enqueue((1...40).map { .make(payload: "p\($0)", priority: $0, visibleAt: base + .seconds(60 * (41 - $0))) })
        #expect(try await store.nextVisibleTime(topics: ["t"]) == base + .seconds(60))
        #expect(try await store.readyQueues(topics: ["t"], now: base, limit: 10).isEmpty)
        let first = try await Self.leaseAll(store, now: base + .seconds(61))
        #expect(first.map(\.text) == ["p40"])
        try await store.settle(first.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        #expect(try await store.nextVisibleTime(topics: ["t"]) == base + .seconds(120))
        // Jobs of a middle priority that are due now make the queue ready at once, and keep it
        // ready until the last of them is taken.
        _ = try await store.enqueue([.make(payload: "now1", priority: 20, visibleAt: base), .make(payload: "now2", priority: 20, visibleAt: base)])
        for name in ["now1", "now2"] {
            #expect(try await store.readyQueues(topics: ["t"], now: base, limit: 10) == [key])
            let due = try await Self.leaseAll(store, limit: 1, now: base)
            #expect(due.map(\.text) == [name])
            try await store.settle(due.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        }
        #expect(try await store.readyQueues(topics: ["t"], now: base + .seconds(119), limit: 10).isEmpty)
        #expect(try await Self.leaseAll(store, now: base + .seconds(121)).map(\.text) == ["p39"])
    }

    static func anExpiredLeaseMakesTheJobVisibleAgain(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make(payload: "job")])
        let start = Timestamp.now
        let first = try await Self.leaseAll(store, lease: .milliseconds(50), now: start)
        #expect(first.count == 1)
        // The runner vanished: nothing settles or extends the lease.
        #expect(try await Self.leaseAll(store, now: start + .milliseconds(10)).isEmpty)
        let second = try await Self.leaseAll(store, now: start + .milliseconds(60))
        #expect(second.map(\.text) == ["job"])
        #expect(second[0].attempt == 2)
        #expect(second[0].lease != first[0].lease)
        // The first runner's late completion is refused and does not delete the job.
        #expect(try await store.settle([Settlement(job: first[0].id, lease: first[0].lease, action: .complete)]) == [false])
        #expect(try await store.settle([Settlement(job: second[0].id, lease: second[0].lease, action: .complete)]) == [true])
    }

    static func aJobWhoseRunnerVanishedOnItsLastAttemptIsDeadLettered(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make(maxRetries: 0)])
        let start = Timestamp.now
        #expect(try await Self.leaseAll(store, lease: .milliseconds(10), now: start).count == 1)
        #expect(try await Self.leaseAll(store, now: start + .milliseconds(20)).isEmpty)
        let dead = try await store.deadLetters(matching: .all, limit: nil)
        #expect(dead.count == 1)
        #expect(dead[0].kind == .failed)
        #expect(dead[0].reason.contains("runner vanished"))
    }

    static func extendingKeepsALeaseAlive(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make()])
        let start = Timestamp.now
        let jobs = try await Self.leaseAll(store, lease: .milliseconds(50), now: start)
        #expect(try await store.extend([jobs[0].id: jobs[0].lease], until: start + .seconds(60)) == 1)
        #expect(try await Self.leaseAll(store, now: start + .milliseconds(100)).isEmpty)
        #expect(try await store.extend([jobs[0].id: LeaseToken(rawValue: "someone-else")], until: start + .seconds(90)) == 0)
    }

    static func releaseReturnsAJobWithoutChargingAnAttempt(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await Self.leaseAll(store)
        try await store.settle([Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .release)])
        #expect(try await Self.leaseAll(store).map(\.attempt) == [1])
    }

    static func retryRecordsTheErrorAndSchedulesTheJob(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await Self.leaseAll(store)
        let at = Timestamp.now + .seconds(5)
        try await store.settle([Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .retry(at: at, error: "boom"))])
        let status = try await store.status(now: .now)
        #expect(status.queues.map(\.scheduled) == [1])
        #expect(try await store.nextVisibleTime(topics: ["t"]) == at)
        let again = try await Self.leaseAll(store, now: at)
        #expect(again.map(\.attempt) == [2])
    }

    static func followUpsAreStoredOnlyWithTheirSettlement(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await Self.leaseAll(store)
        let stale = Settlement(job: jobs[0].id, lease: LeaseToken(rawValue: "stale"), action: .complete, followUps: [.make("f", "next")])
        #expect(try await store.settle([stale]) == [false])
        #expect(try await store.status(now: .now).queues.contains { $0.topic == "next" } == false)
        let real = Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .complete, followUps: [.make("f", "next")])
        #expect(try await store.settle([real]) == [true])
        #expect(try await store.status(now: .now).queues.map(\.topic) == ["next"])
    }

    static func batchEnqueueIsAllOrNothing(_ store: any JobStore) async throws {
        await #expect(throws: StoreError.self) {
            try await store.enqueue([.make(), .make(""), .make()])
        }
        #expect(try await store.status(now: .now).queues.isEmpty)
        let client = JobClient(store: store, maxPayload: 4)
        await #expect(throws: StoreError.invalidJob("job 2: payload is 10 bytes, over the limit of 4 bytes")) {
            try await client.enqueue([.make(payload: "{}"), .make(payload: "0123456789")])
        }
        #expect(try await store.status(now: .now).queues.isEmpty)
    }

    static func deadLettersCanBeListedRetriedAndPurged(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make("a", "x"), .make("a", "y"), .make("b", "x")])
        for queue in ["a", "b"] {
            for topic in ["x", "y"] {
                let jobs = try await Self.leaseAll(store, QueueKey(queueID: queue, topic: topic))
                try await store.settle(jobs.map { Settlement(job: $0.id, lease: $0.lease, action: .bury(.discarded, reason: "nope \($0.id)")) })
            }
        }
        let dead = try await store.deadLetters(matching: .all, limit: nil)
        #expect(dead.count == 3)
        #expect(dead.allSatisfy { $0.kind == .discarded && $0.attempts == 1 })

        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(ids: [dead[0].id]), now: .now) == 1)
        let back = try await Self.leaseAll(store, QueueKey(queueID: dead[0].queueID, topic: dead[0].topic))
        #expect(back.map(\.id) == [dead[0].id])
        #expect(back[0].attempt == 1)

        let found = try await store.deadLetters(matching: DeadLetterSelector(search: "NOPE \(dead[1].id)"), limit: nil)
        #expect(found.map(\.id) == [dead[1].id], "a search matches the reason, ignoring case")
        #expect(try await store.deadLetters(matching: DeadLetterSelector(search: "b\nx"), limit: nil).map(\.queueID) == ["b"])
        #expect(try await store.deadLetters(matching: DeadLetterSelector(search: "%"), limit: nil).isEmpty, "no wildcards")
        #expect(try await store.deadLetters(matching: DeadLetterSelector(newestFirst: true), limit: 2).map(\.id) == [dead[2].id, dead[1].id])
        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(queueID: "a"), now: .now) == 1)
        #expect(try await store.purgeDeadLetters(matching: DeadLetterSelector(topic: "x")) == 1)
        #expect(try await store.deadLetters(matching: .all, limit: nil).isEmpty)
    }

    static func concurrentEnqueuesAreAllStored(_ store: any JobStore) async throws {
        // 200 concurrent single-job enqueues: every one acknowledged, all stored, ids unique.
        let ids = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for i in 0..<200 {
                group.addTask { try await store.enqueue([.make("q\(i % 7)")]) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == 200)
        let total = try await store.status(now: .now).queues.map(\.ready).reduce(0, +)
        #expect(total == 200)
    }

    static func concurrentTakesNeverLeaseAJobTwice(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<400).map { .make("q\($0 % 16)", payload: "\($0)") })
        // Eight takers at once, as if on eight hosts, through both ways of leasing, until
        // nothing is ready.
        let leased = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for taker in 0..<8 {
                group.addTask {
                    var mine: [JobID] = []
                    while true {
                        let batches =
                            try await store.take(
                                topics: ["t"], scan: 4, plan: { [Array($0.shuffled().prefix(2))] },
                                limits: BatchLimits(batchSize: 7), duration: .seconds(30), owner: "taker\(taker)", now: .now) ?? []
                        let ready = try await store.readyQueues(topics: ["t"], now: .now, limit: 4)
                        if batches.isEmpty && ready.isEmpty { return mine }
                        mine += batches.joined().map(\.id)
                        if let queue = ready.randomElement() {
                            mine += try await store.lease(queue: queue, limit: 5, duration: .seconds(30), owner: "taker\(taker)", now: .now).map(\.id)
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(leased.count == 400)
        #expect(Set(leased).count == 400)
    }

    /// A take fills each batch within its limits and with jobs of one topic: the topic of the
    /// first queue that gives it jobs, as many as that topic's limit allows; queues of other
    /// topics are skipped, untouched, and stay ready.
    static func takesFillBatchesOfOneTopicWithinItsLimit(_ store: any JobStore) async throws {
        _ = try await store.enqueue((0..<3).map { .make("slow-q", "slow", payload: "s\($0)") })
        _ = try await store.enqueue((0..<4).map { .make("fast-q", "fast", payload: "f\($0)") })
        _ = try await store.enqueue((0..<4).map { .make("fast-r", "fast", payload: "r\($0)") })
        let limits = BatchLimits(batchSize: 5, perTopic: ["slow": 1])
        let slow = QueueKey(queueID: "slow-q", topic: "slow")
        let fast = QueueKey(queueID: "fast-q", topic: "fast")
        let fastToo = QueueKey(queueID: "fast-r", topic: "fast")
        let batches = try #require(
            try await store.take(
                topics: ["slow", "fast"], scan: 10,
                plan: { _ in [[slow, fast, fastToo], [fast, slow, fastToo], [slow, fast]] },
                limits: limits, duration: .seconds(30), owner: "test", now: .now))
        #expect(batches.map { $0.map(\.text) } == [["s0"], ["f0", "f1", "f2", "f3", "r0"], ["s1"]])
        // The queues skipped or left with jobs are still ready.
        let ready = try await store.readyQueues(topics: ["slow", "fast"], now: .now, limit: 10)
        #expect(Set(ready) == [slow, fastToo])
    }

    static func readyLagIsHowLongReadyQueuesHaveWaited(_ store: any JobStore) async throws {
        let base = Timestamp.now
        #expect(try await store.readyLag(now: base, queues: 10) == ReadyLag())
        _ = try await store.enqueue([
            .make("a", "x", visibleAt: base + .seconds(-30)), .make("b", "x", visibleAt: base + .seconds(-10)),
            .make("c", "y", visibleAt: base + .seconds(-20)), .make("d", "x", visibleAt: base + .seconds(3600)),
            .make("e", "x", visibleAt: base + .seconds(-40)),
        ])
        // Every job of e is leased: not ready. A pointer of a job visible at once is 1 ms earlier.
        #expect(try await Self.leaseAll(store, QueueKey(queueID: "e", topic: "x"), now: base).count == 1)
        let lag = try await store.readyLag(now: base, queues: 2)
        #expect(lag.topics == ["x": .milliseconds(30_001), "y": .milliseconds(20_001)])
        #expect(lag.queues.map(\.queue.queueID) == ["a", "c"])
        #expect(lag.queues.map(\.wait) == [.milliseconds(30_001), .milliseconds(20_001)])
        #expect(try await store.readyLag(now: base, queues: 10).queues.map(\.queue.queueID) == ["a", "c", "b"])
    }

    static func aHostRecordIsReadBackAsWrittenUntilItExpires(_ store: any JobStore) async throws {
        let now = Timestamp.now
        let record = HostRecord(
            id: "h1", hostname: "box", pid: 42, topics: ["t", "u"], startedAt: now, seenAt: now, note: "a note",
            running: [QueueKey(queueID: "q", topic: "t")], stopping: false, generation: 3,
            progress: [RunningProgress(job: JobID(rawValue: 7), JobProgress(percent: 40, message: "tabs\tand\nlines become spaces"))])
        try await store.heartbeat(record, ttl: .seconds(10))
        var expected = record
        expected.progress[0].message = "tabs and lines become spaces"
        #expect(try await store.hosts(now: now) == [expected])
        #expect(try await store.status(now: now).hosts == [expected], "status reads the same records")
        #expect(try await store.hosts(now: now + .seconds(11)).isEmpty, "an expired record is not alive")
    }
}
