import JobQueue
import Testing

/// The checks of a job's history, its listing and retention (see ``StoreConformance``).
extension StoreConformance {
    static let historyChecks: [Check] = [
        Check("aJobsRunsFollowItIntoTheDeadLettersAndBack", aJobsRunsFollowItIntoTheDeadLettersAndBack),
        Check("aHistoryKeepsTheLatestRunsOnly", aHistoryKeepsTheLatestRunsOnly),
        Check("aRunWhoseLeaseRanOutIsRecordedAsLost", aRunWhoseLeaseRanOutIsRecordedAsLost),
        Check("keptCompletedJobsAreShownUntilPruned", keptCompletedJobsAreShownUntilPruned),
        Check("jobsAreListedByStateQueueAndTopic", jobsAreListedByStateQueueAndTopic),
    ]

    static func run(_ job: LeasedJob, _ outcome: JobAttempt.Outcome, _ error: String? = nil, at time: Timestamp = .now) -> JobAttempt {
        JobAttempt(attempt: job.attempt, outcome: outcome, error: error, host: "host-a", finishedAt: time, duration: .milliseconds(7))
    }

    static func aJobsRunsFollowItIntoTheDeadLettersAndBack(_ store: any JobStore) async throws {
        let id = try await store.enqueue([.make(payload: "p", maxRetries: 1)])[0]
        let first = try await Self.leaseAll(store)
        let failed = Self.run(first[0], .crashed, "crashed: SIGSEGV")
        try await store.settle([Settlement(job: id, lease: first[0].lease, action: .retry(at: .now, error: "crashed: SIGSEGV"), record: failed)])
        let queued = try #require(try await store.job(id, now: .now))
        #expect(queued.state == .ready)
        #expect(queued.error == "crashed: SIGSEGV")
        #expect(queued.history == [failed])

        let second = try await Self.leaseAll(store)
        #expect(try await store.job(id, now: .now)?.state == .leased)
        let timedOut = Self.run(second[0], .timedOut, "timed out after 1s")
        try await store.settle([Settlement(job: id, lease: second[0].lease, action: .bury(.failed, reason: "timed out after 1s"), record: timedOut)])
        let dead = try #require(try await store.job(id, now: .now))
        #expect(dead.state == .dead)
        #expect(dead.deadKind == .failed)
        #expect(dead.attempts == 2)
        #expect(dead.error == "timed out after 1s")
        #expect(dead.payload == Array("p".utf8))
        #expect(dead.history == [failed, timedOut])

        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(ids: [id]), now: .now) == 1)
        let back = try #require(try await store.job(id, now: .now))
        #expect(back.state == .ready)
        #expect(back.history == [failed, timedOut], "a retried dead letter keeps its history")
        #expect(try await store.job(JobID(rawValue: id.rawValue + 1000), now: .now) == nil)
    }

    static func aHistoryKeepsTheLatestRunsOnly(_ store: any JobStore) async throws {
        let runs = StoreRules.historyLength + 5
        let id = try await store.enqueue([.make(maxRetries: runs)])[0]
        for _ in 0..<runs {
            let job = try await Self.leaseAll(store)[0]
            try await store.settle([
                Settlement(
                    job: id, lease: job.lease, action: .retry(at: .now, error: "e\(job.attempt)"), record: Self.run(job, .error, "e\(job.attempt)"))
            ])
        }
        let history = try #require(try await store.job(id, now: .now)).history
        #expect(history.map(\.attempt) == Array(6...runs))
        #expect(history.last?.error == "e\(runs)")
    }

    static func aRunWhoseLeaseRanOutIsRecordedAsLost(_ store: any JobStore) async throws {
        let ids = try await store.enqueue([.make("a", maxRetries: 1), .make("b", maxRetries: 0)])
        let start = Timestamp.now
        for queue in ["a", "b"] {
            _ = try await store.lease(
                queue: QueueKey(queueID: queue, topic: "t"), limit: 1, duration: .milliseconds(10), owner: "gone#host", now: start)
        }
        // Its host vanished: the next take finds the lease run out.
        let again = try await Self.leaseAll(store, QueueKey(queueID: "a", topic: "t"), now: start + .milliseconds(20))
        #expect(again.map(\.attempt) == [2])
        let lost = JobAttempt(attempt: 1, outcome: .lost, error: StoreRules.lostRunError, host: "gone#host", finishedAt: start + .milliseconds(10))
        #expect(try await store.job(ids[0], now: .now)?.history == [lost])
        // On its last attempt: dead-lettered, with the lost run in its history.
        #expect(try await Self.leaseAll(store, QueueKey(queueID: "b", topic: "t"), now: start + .milliseconds(20)).isEmpty)
        let dead = try #require(try await store.job(ids[1], now: .now))
        #expect(dead.state == .dead)
        #expect(dead.history == [lost])
    }

    static func keptCompletedJobsAreShownUntilPruned(_ store: any JobStore) async throws {
        let ids = try await store.enqueue([.make("q", payload: "kept"), .make("q", payload: "deleted"), .make("q", payload: "dies")])
        let jobs = try await Self.leaseAll(store, QueueKey(queueID: "q", topic: "t"))
        let ok = Self.run(jobs[0], .ok)
        #expect(
            try await store.settle([
                Settlement(job: ids[0], lease: jobs[0].lease, action: .keep, record: ok),
                Settlement(job: ids[1], lease: jobs[1].lease, action: .complete, record: Self.run(jobs[1], .ok)),
                Settlement(job: ids[2], lease: jobs[2].lease, action: .bury(.discarded, reason: "no"), record: Self.run(jobs[2], .discard, "no")),
            ]) == [true, true, true])
        let kept = try #require(try await store.job(ids[0], now: .now))
        #expect(kept.state == .completed)
        #expect(kept.payload == Array("kept".utf8))
        #expect(kept.history == [ok])
        #expect(try await store.job(ids[1], now: .now) == nil)
        #expect(try await store.status(now: .now).queues.map(\.ready) == [0], "a kept job is not queued")
        #expect(try await store.jobs(matching: JobFilter(state: .completed), limit: 10, now: .now).map(\.id) == [ids[0]])

        // Pruning: only what finished before the cut-off goes, in bounded batches.
        let past = Timestamp.now + .seconds(-3600)
        #expect(try await store.prune(completedBefore: past, deadBefore: past, limit: 10) == 0)
        let future = Timestamp.now + .seconds(1)
        #expect(try await store.prune(completedBefore: future, deadBefore: nil, limit: 10) == 1)
        #expect(try await store.job(ids[0], now: .now) == nil)
        #expect(try await store.job(ids[2], now: .now)?.state == .dead, "dead letters stay while their retention is none")
        #expect(try await store.prune(completedBefore: future, deadBefore: future, limit: 10) == 1)
        #expect(try await store.job(ids[2], now: .now) == nil)
    }

    static func jobsAreListedByStateQueueAndTopic(_ store: any JobStore) async throws {
        let ids = try await store.enqueue([
            .make("a", "x"), .make("a", "y"), .make("b", "x"), .make("b", "x", visibleAt: .now + .seconds(3600)), .make("c", "x"),
        ])
        let now = Timestamp.now
        let leased = try await Self.leaseAll(store, QueueKey(queueID: "c", topic: "x"), now: now)
        try await store.settle([Settlement(job: leased[0].id, lease: leased[0].lease, action: .bury(.failed, reason: "x"))])
        _ = try await Self.leaseAll(store, QueueKey(queueID: "a", topic: "y"), now: now)

        func listed(_ filter: JobFilter, limit: Int = 100) async throws -> [JobID] {
            try await store.jobs(matching: filter, limit: limit, now: now).map(\.id)
        }
        #expect(try await listed(JobFilter()) == ids.reversed(), "most recent first")
        #expect(try await listed(JobFilter(), limit: 2) == [ids[4], ids[3]])
        #expect(try await listed(JobFilter(state: .ready)) == [ids[2], ids[0]])
        #expect(try await listed(JobFilter(state: .scheduled)) == [ids[3]])
        #expect(try await listed(JobFilter(state: .leased)) == [ids[1]])
        #expect(try await listed(JobFilter(state: .dead)) == [ids[4]])
        #expect(try await listed(JobFilter(state: .completed)).isEmpty)
        #expect(try await listed(JobFilter(queueID: "b")) == [ids[3], ids[2]])
        #expect(try await listed(JobFilter(state: .ready, topic: "x")) == [ids[2], ids[0]])
        #expect(try await listed(JobFilter(queueID: "a", topic: "y")) == [ids[1]])
        let states = try await store.jobs(matching: JobFilter(), limit: 100, now: now).map(\.state)
        #expect(states == [.dead, .scheduled, .ready, .leased, .ready])
    }
}
