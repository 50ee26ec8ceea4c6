import JobQueue
import Testing

/// The checks of what operators steer a queue with: unique keys, pauses and cancellations (see
/// ``StoreConformance``).
extension StoreConformance {
    static let controlChecks: [Check] = [
        Check("aUniqueKeyAllowsOneLiveJobPerTopic", aUniqueKeyAllowsOneLiveJobPerTopic),
        Check("uniqueForKeepsTheKeyTakenAfterTheJobEnds", uniqueForKeepsTheKeyTakenAfterTheJobEnds),
        Check("concurrentEnqueuesOfOneKeyStoreOneJob", concurrentEnqueuesOfOneKeyStoreOneJob),
        Check("pausedTopicsAndQueuesArePassedOverUntilResumed", pausedTopicsAndQueuesArePassedOverUntilResumed),
        Check("cancelledJobsBecomeCancelledDeadLetters", cancelledJobsBecomeCancelledDeadLetters),
        Check("cancellingAQueueCancelsItsLiveJobsOnly", cancellingAQueueCancelsItsLiveJobsOnly),
    ]

    static func aUniqueKeyAllowsOneLiveJobPerTopic(_ store: any JobStore) async throws {
        let first = try await store.enqueue([.make(payload: "1", uniqueKey: "k")])[0]
        #expect(try await store.enqueue([.make(payload: "2", uniqueKey: "k")]) == [first], "a duplicate gets the live job's id")
        let batch = try await store.enqueue([
            .make(payload: "3", uniqueKey: "k"), .make(payload: "4", uniqueKey: "other"), .make(payload: "5", uniqueKey: "other"),
            .make(payload: "6"), .make("q", "t2", payload: "7", uniqueKey: "k"),
        ])
        #expect(batch[0] == first)
        #expect(batch[1] == batch[2], "duplicates within a batch collapse to one")
        #expect(Set(batch).count == 4, "plain jobs and other topics are not affected")
        var status = try await store.status(now: .now)
        #expect(status.queues.map(\.ready).reduce(0, +) == 4)

        // Running still holds the key; once the job is done, the key is free.
        let leased = try await Self.leaseAll(store, limit: 1)
        #expect(leased.map(\.id) == [first])
        #expect(try await store.enqueue([.make(uniqueKey: "k")]) == [first])
        try await store.settle([Settlement(job: first, lease: leased[0].lease, action: .complete)])
        let next = try await store.enqueue([.make(payload: "8", uniqueKey: "k")])[0]
        #expect(next != first)
        status = try await store.status(now: .now)
        #expect(status.queues.map(\.ready).reduce(0, +) == 4)
    }

    static func uniqueForKeepsTheKeyTakenAfterTheJobEnds(_ store: any JobStore) async throws {
        let held = try await store.enqueue([.make(uniqueKey: "held", uniqueFor: .seconds(3600))])[0]
        let brief = try await store.enqueue([.make(uniqueKey: "brief", uniqueFor: .milliseconds(1))])[0]
        for job in try await Self.leaseAll(store) {
            try await store.settle([Settlement(job: job.id, lease: job.lease, action: .complete)])
        }
        #expect(try await store.job(held, now: .now) == nil, "the job itself is gone")
        #expect(try await store.enqueue([.make(uniqueKey: "held")]) == [held], "the hold outlives the job")
        try await Task.sleep(for: .milliseconds(5))
        #expect(try await store.enqueue([.make(uniqueKey: "brief")]) != [brief], "a hold that is over frees the key")
        #expect(try await store.prune(completedBefore: .now, deadBefore: nil, limit: 10) == 1, "the hold that is over is pruned")
        #expect(try await store.enqueue([.make(uniqueKey: "held")]) == [held], "the other one stays")
    }

    static func concurrentEnqueuesOfOneKeyStoreOneJob(_ store: any JobStore) async throws {
        let ids = try await withThrowingTaskGroup(of: JobID.self) { group in
            for index in 0..<50 {
                group.addTask { try await store.enqueue([.make(payload: "\(index)", uniqueKey: "once")])[0] }
            }
            return try await group.reduce(into: [JobID]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 1, "every caller gets the one job's id")
        #expect(try await store.status(now: .now).queues.map(\.ready) == [1])
    }

    static func pausedTopicsAndQueuesArePassedOverUntilResumed(_ store: any JobStore) async throws {
        _ = try await store.enqueue([.make("a", "t"), .make("b", "t"), .make("a", "u")])
        let now = Timestamp.now
        func ready(_ topics: Set<String> = ["t", "u"]) async throws -> Set<String> {
            Set(try await store.readyQueues(topics: topics, now: now, limit: 10).map { "\($0.queueID)/\($0.topic)" })
        }
        #expect(try await store.pause(topic: "t", queueID: nil, now: now))
        #expect(try await !store.pause(topic: "t", queueID: nil, now: now), "pausing twice changes nothing")
        #expect(try await ready() == ["a/u"])
        #expect(try await store.nextVisibleTime(topics: ["t"]) == nil, "a paused topic has nothing to wait for")
        #expect(try await store.readyLag(now: now, queues: 10).topics.keys.sorted() == ["u"], "a paused topic is not waiting for a take")
        let taken = try await store.take(
            topics: ["t", "u"], scan: 10, plan: { [$0] }, limits: BatchLimits(batchSize: 10), duration: .seconds(30), owner: "test", now: now)
        #expect(taken?.flatMap { $0 }.map(\.topic) == ["u"])
        #expect(try await store.status(now: now).pauses == [Pause(topic: "t", pausedAt: now)])

        #expect(try await store.resume(topic: "t", queueID: nil))
        #expect(try await !store.resume(topic: "t", queueID: nil), "resuming what is not paused changes nothing")
        #expect(try await store.pause(topic: "t", queueID: "a", now: now))
        let afterQueuePause = try await ready()
        #expect(afterQueuePause == ["b/t"])
        #expect(try await store.nextVisibleTime(topics: ["t"]) != nil)
        #expect(try await store.status(now: now).isPaused(QueueKey(queueID: "a", topic: "t")))
        #expect(try await store.readyLag(now: now, queues: 10).queues.map(\.queue) == [QueueKey(queueID: "b", topic: "t")])
        #expect(try await store.resume(topic: "t", queueID: "a"))
        #expect(try await ready() == ["a/t", "b/t"])
        #expect(try await store.status(now: now).pauses.isEmpty)
    }

    static func cancelledJobsBecomeCancelledDeadLetters(_ store: any JobStore) async throws {
        let ids = try await store.enqueue([.make(payload: "a"), .make(payload: "b"), .make(payload: "c")])
        let running = try await Self.leaseAll(store, limit: 1)[0]
        #expect(running.id == ids[0])
        let now = Timestamp.now
        let cancelled = try await store.cancel(.ids([ids[0], ids[1], JobID(rawValue: 999_999)]), reason: "cancelled by ops", now: now)
        #expect(Set(cancelled) == [ids[0], ids[1]], "unknown ids are left out")
        #expect(try await store.cancelledJobs(among: [ids[0], ids[2]]) == [ids[0]])

        let wasRunning = try #require(try await store.job(ids[0], now: now))
        #expect(wasRunning.state == .cancelled)
        #expect(wasRunning.error == "cancelled by ops")
        #expect(wasRunning.history.map(\.outcome) == [.cancelled], "the run it was in is recorded")
        #expect(try await store.job(ids[1], now: now)?.history == [], "a job that never ran has no run")
        #expect(try await store.settle([Settlement(job: running.id, lease: running.lease, action: .complete)]) == [false])
        #expect(try await store.cancel(.ids([ids[1]]), reason: "again", now: now).isEmpty, "a cancelled job is not live")

        let counts = try #require(try await store.status(now: now).queues.first)
        #expect((counts.ready, counts.dead, counts.cancelled) == (1, 0, 2))
        #expect(try await store.jobs(matching: JobFilter(state: .cancelled), limit: 10, now: now).map(\.id).sorted() == [ids[0], ids[1]])
        #expect(try await store.jobs(matching: JobFilter(state: .dead), limit: 10, now: now).isEmpty)
        #expect(try await store.deadLetters(matching: DeadLetterSelector(kind: .cancelled), limit: nil).count == 2)
        #expect(try await store.deadLetters(matching: DeadLetterSelector(kind: .failed), limit: nil).isEmpty)
        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(ids: [ids[1]]), now: .now) == 1)
        #expect(try await store.job(ids[1], now: .now)?.state == .ready, "a cancelled job can be retried")
    }

    static func cancellingAQueueCancelsItsLiveJobsOnly(_ store: any JobStore) async throws {
        let ids = try await store.enqueue([
            .make("q", "t"), .make("q", "t", visibleAt: .now + .seconds(3600)), .make("q", "u"), .make("other", "t"),
        ])
        #expect(Set(try await store.cancel(.queue("q", topic: "t"), reason: "r", now: .now)) == [ids[0], ids[1]])
        #expect(try await store.readyQueues(topics: ["t", "u"], now: .now, limit: 10).count == 2, "the queue's pointer is gone")
        #expect(try await store.nextVisibleTime(topics: ["t"]) != nil)
        #expect(try await store.cancel(.queue("q"), reason: "r", now: .now) == [ids[2]])
        let left = try await store.readyQueues(topics: ["t", "u"], now: .now, limit: 10)
        #expect(left == [QueueKey(queueID: "other", topic: "t")])
    }
}
