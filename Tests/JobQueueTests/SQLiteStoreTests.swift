import Foundation
import GRDB
import Testing
@testable import JobQueue

/// The store contract, on real SQLite files. Every backend must pass these.
@Suite struct SQLiteStoreTests {
    let fixture: StoreFixture
    var store: SQLiteJobStore { fixture.store }

    init() throws { fixture = try StoreFixture() }

    func leaseAll(_ key: QueueKey = QueueKey(queueID: "q", topic: "t"), limit: Int = 100, lease: Duration = .seconds(30), now: Timestamp = .now) async throws -> [LeasedJob] {
        try await store.lease(queue: key, limit: limit, duration: lease, owner: "test", now: now)
    }

    @Test func ordersByPriorityThenVisibleTimeThenEnqueueOrder() async throws {
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
        let leased = try await leaseAll(now: base)
        #expect(leased.map(\.text) == ["urgent", "first-fifo", "second-fifo", "third-fifo", "late"])
        #expect(leased.allSatisfy { $0.attempt == 1 })
    }

    @Test func scheduledJobsStayInvisibleUntilTheirTime() async throws {
        let now = Timestamp.now
        _ = try await store.enqueue([.make(payload: "later", visibleAt: now + .seconds(60))])
        let key = QueueKey(queueID: "q", topic: "t")
        #expect(try await store.readyQueues(topics: ["t"], now: now, limit: 10).isEmpty)
        #expect(try await store.nextVisibleTime(topics: ["t"]) == now + .seconds(60))
        #expect(try await leaseAll(now: now).isEmpty)
        #expect(try await store.readyQueues(topics: ["t"], now: now + .seconds(61), limit: 10) == [key])
        #expect(try await leaseAll(now: now + .seconds(61)).map(\.text) == ["later"])
    }

    @Test func atWinsOverIn() {
        let now = Timestamp(rawValue: 1_000_000)
        let at = Timestamp(rawValue: 5_000_000)
        #expect(NewJob.scheduled(at: at, in: .seconds(1), now: now) == at)
        #expect(NewJob.scheduled(at: nil, in: .seconds(1), now: now) == Timestamp(rawValue: 1_001_000))
        #expect(NewJob.scheduled(at: nil, in: nil, now: now) == nil)
    }

    @Test func pointerIndexFindsOnlyServedTopicsAndForgetsEmptyQueues() async throws {
        _ = try await store.enqueue([.make("a", "served"), .make("b", "other"), .make("c", "other")])
        #expect(try await store.readyQueues(topics: ["served"], now: .now, limit: 10) == [QueueKey(queueID: "a", topic: "served")])
        #expect(try await store.readyQueues(topics: ["nobody"], now: .now, limit: 10).isEmpty)
        #expect(try await store.nextVisibleTime(topics: ["nobody"]) == nil)

        let jobs = try await leaseAll(QueueKey(queueID: "a", topic: "served"))
        try await store.settle(jobs.map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        let pointers = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM queue_pointers WHERE topic = 'served'") }
        #expect(pointers == 0)
        // Jobs of the unserved topic are still queued and show as ready.
        let status = try await store.status(now: .now)
        #expect(status.queues.filter { $0.topic == "other" }.map(\.ready) == [1, 1])
    }

    @Test func aServedQueueGoesToTheBackOfTheReadyLine() async throws {
        let old = Timestamp.now + .seconds(-60)
        _ = try await store.enqueue((0..<5).map { _ in .make("backlog", visibleAt: old) })
        _ = try await store.enqueue([.make("newcomer")])
        #expect(try await store.readyQueues(topics: ["t"], now: .now, limit: 1).map(\.queueID) == ["backlog"])
        _ = try await leaseAll(QueueKey(queueID: "backlog", topic: "t"), limit: 1)
        #expect(try await store.readyQueues(topics: ["t"], now: .now, limit: 1).map(\.queueID) == ["newcomer"])
    }

    @Test func anExpiredLeaseMakesTheJobVisibleAgain() async throws {
        _ = try await store.enqueue([.make(payload: "job")])
        let start = Timestamp.now
        let first = try await leaseAll(lease: .milliseconds(50), now: start)
        #expect(first.count == 1)
        // The runner vanished: nothing settles or extends the lease.
        #expect(try await leaseAll(now: start + .milliseconds(10)).isEmpty)
        let second = try await leaseAll(now: start + .milliseconds(60))
        #expect(second.map(\.text) == ["job"])
        #expect(second[0].attempt == 2)
        #expect(second[0].lease != first[0].lease)
        // The first runner's late completion is refused and does not delete the job.
        #expect(try await store.settle([Settlement(job: first[0].id, lease: first[0].lease, action: .complete)]) == [false])
        #expect(try await store.settle([Settlement(job: second[0].id, lease: second[0].lease, action: .complete)]) == [true])
    }

    @Test func aJobWhoseRunnerVanishedOnItsLastAttemptIsDeadLettered() async throws {
        _ = try await store.enqueue([.make(maxRetries: 0)])
        let start = Timestamp.now
        #expect(try await leaseAll(lease: .milliseconds(10), now: start).count == 1)
        #expect(try await leaseAll(now: start + .milliseconds(20)).isEmpty)
        let dead = try await store.deadLetters(matching: .all, limit: nil)
        #expect(dead.count == 1)
        #expect(dead[0].kind == .failed)
        #expect(dead[0].reason.contains("runner vanished"))
    }

    @Test func extendingKeepsALeaseAlive() async throws {
        _ = try await store.enqueue([.make()])
        let start = Timestamp.now
        let jobs = try await leaseAll(lease: .milliseconds(50), now: start)
        #expect(try await store.extend([jobs[0].id: jobs[0].lease], until: start + .seconds(60)) == 1)
        #expect(try await leaseAll(now: start + .milliseconds(100)).isEmpty)
        #expect(try await store.extend([jobs[0].id: LeaseToken(rawValue: "someone-else")], until: start + .seconds(90)) == 0)
    }

    @Test func releaseReturnsAJobWithoutChargingAnAttempt() async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await leaseAll()
        try await store.settle([Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .release)])
        #expect(try await leaseAll().map(\.attempt) == [1])
    }

    @Test func retryRecordsTheErrorAndSchedulesTheJob() async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await leaseAll()
        let at = Timestamp.now + .seconds(5)
        try await store.settle([Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .retry(at: at, error: "boom"))])
        let status = try await store.status(now: .now)
        #expect(status.queues.map(\.scheduled) == [1])
        #expect(try await store.nextVisibleTime(topics: ["t"]) == at)
        let again = try await leaseAll(now: at)
        #expect(again.map(\.attempt) == [2])
    }

    @Test func followUpsAreStoredOnlyWithTheirSettlement() async throws {
        _ = try await store.enqueue([.make()])
        let jobs = try await leaseAll()
        let stale = Settlement(job: jobs[0].id, lease: LeaseToken(rawValue: "stale"), action: .complete, followUps: [.make("f", "next")])
        #expect(try await store.settle([stale]) == [false])
        #expect(try await store.status(now: .now).queues.contains { $0.topic == "next" } == false)
        let real = Settlement(job: jobs[0].id, lease: jobs[0].lease, action: .complete, followUps: [.make("f", "next")])
        #expect(try await store.settle([real]) == [true])
        #expect(try await store.status(now: .now).queues.map(\.topic) == ["next"])
    }

    @Test func batchEnqueueIsAllOrNothing() async throws {
        let store = self.store
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

    @Test func deadLettersCanBeListedRetriedAndPurged() async throws {
        _ = try await store.enqueue([.make("a", "x"), .make("a", "y"), .make("b", "x")])
        for queue in ["a", "b"] {
            for topic in ["x", "y"] {
                let jobs = try await leaseAll(QueueKey(queueID: queue, topic: topic))
                try await store.settle(jobs.map { Settlement(job: $0.id, lease: $0.lease, action: .bury(.discarded, reason: "nope \($0.id)")) })
            }
        }
        let dead = try await store.deadLetters(matching: .all, limit: nil)
        #expect(dead.count == 3)
        #expect(dead.allSatisfy { $0.kind == .discarded && $0.attempts == 1 })

        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(ids: [dead[0].id]), now: .now) == 1)
        let back = try await leaseAll(QueueKey(queueID: dead[0].queueID, topic: dead[0].topic))
        #expect(back.map(\.id) == [dead[0].id])
        #expect(back[0].attempt == 1)

        #expect(try await store.retryDeadLetters(matching: DeadLetterSelector(queueID: "a"), now: .now) == 1)
        #expect(try await store.purgeDeadLetters(matching: DeadLetterSelector(topic: "x")) == 1)
        #expect(try await store.deadLetters(matching: .all, limit: nil).isEmpty)
    }

    @Test(arguments: [(SyncMode.full, 2), (.normal, 1)])
    func theWriterUsesTheConfiguredSyncMode(sync: SyncMode, level: Int) async throws {
        let folder = TemporaryFolder()
        let store = try SQLiteJobStore(.init(path: folder.file("q.db"), sync: sync))
        let value = try await store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(value == level)
    }

    @Test func theStoreFileIsPrivateToItsOwner() throws {
        var info = stat()
        #expect(stat(fixture.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func reopeningKeepsEverything() async throws {
        let ids = try await store.enqueue([.make(payload: "kept")])
        let reopened = try SQLiteJobStore(.init(path: fixture.path))
        let jobs = try await reopened.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 10, duration: .seconds(1), owner: "x", now: .now)
        #expect(jobs.map(\.id) == ids)
    }

    @Test func refusesAStoreFromANewerVersion() async throws {
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99: from the future')")
        }
        #expect(throws: StoreError.newerSchema(path: fixture.path, found: "v99: from the future")) {
            try SQLiteJobStore(.init(path: fixture.path))
        }
    }

    @Test func refusesFilesThatAreNotJobQueueStores() throws {
        let folder = TemporaryFolder()
        let text = folder.file("notes.txt")
        try String(repeating: "not a database\n", count: 100).write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try SQLiteJobStore(.init(path: text)) }
        #expect(try String(contentsOfFile: text, encoding: .utf8).hasPrefix("not a database"))

        let other = folder.file("other.db")
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE customers(id INTEGER)") }
        #expect(throws: StoreError.notAJobQueueStore(path: other, reason: "it holds another application's tables")) {
            try SQLiteJobStore(.init(path: other))
        }
        #expect(throws: StoreError.self) { try SQLiteJobStore(.init(path: folder.file("missing/dir/q.db"))) }
    }

    @Test func concurrentWritersShareTransactions() async throws {
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

    @Test func aFailingRequestDoesNotSpoilItsGroup() async throws {
        let store = self.store
        let good = Task { try await store.enqueue([.make(payload: "good")]) }
        let bad = Task { try await store.writer.write { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") } }
        _ = try await good.value
        await #expect(throws: DatabaseError.self) { try await bad.value }
        #expect(try await leaseAll().map(\.text) == ["good"])
    }
}
