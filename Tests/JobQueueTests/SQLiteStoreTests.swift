import Foundation
import GRDB
import JobQueueTestKit
import Testing

@testable import JobQueue

/// What only the SQLite store has: a file, its mode, its schema versions, its group-commit writer.
/// The store contract itself is `StoreConformanceTests`.
@Suite struct SQLiteStoreTests {
    let fixture: StoreFixture
    var store: SQLiteJobStore { fixture.store }

    init() throws { fixture = try StoreFixture() }

    func leaseAll() async throws -> [LeasedJob] {
        try await store.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 100, duration: .seconds(30), owner: "test", now: .now)
    }

    @Test func atWinsOverIn() {
        let now = Timestamp(rawValue: 1_000_000)
        let at = Timestamp(rawValue: 5_000_000)
        #expect(NewJob.scheduled(at: at, in: .seconds(1), now: now) == at)
        #expect(NewJob.scheduled(at: nil, in: .seconds(1), now: now) == Timestamp(rawValue: 1_001_000))
        #expect(NewJob.scheduled(at: nil, in: nil, now: now) == nil)
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

    /// v8 drops the vesting index; v9 counts what the file already holds.
    @Test func aStoreOfSchemaV7IsUpgradedWithoutItsVestingIndexAndKeepsItsJobs() async throws {
        let folder = TemporaryFolder()
        let path = folder.file("v7.db")
        let old = try DatabaseQueue(path: path)
        try await old.write { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteSchema.applicationID)") }
        try SQLiteSchema.migrator.migrate(old, upTo: SQLiteSchema.identifiers[6])
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at) VALUES ('q', 't', X'7B7D', 0, 1, 3, 1);
                    INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at)
                    VALUES ('q', 't', X'7B7D', 0, 9000000000000, 3, 1);
                    INSERT INTO queue_pointers(queue_id, topic, vesting_at) VALUES ('q', 't', 1);
                    INSERT INTO dead_letters(id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at)
                    VALUES (7, 'q', 'u', X'7B7D', 0, 3, 1, 'cancelled', 'r', 1, 1);
                    """)
        }
        #expect(try await old.read { db in try db.indexes(on: "jobs").map(\.name) }.contains("jobs_vesting"))
        try old.close()

        #expect(try SQLiteJobStore.readiness(of: .init(path: path)) == .upgradable)
        let upgraded = try SQLiteJobStore(.init(path: path))
        #expect(try await upgraded.pool.read { db in try db.indexes(on: "jobs").map(\.name) }.contains("jobs_vesting") == false)
        #expect(
            try await upgraded.status(now: .now).queues == [
                QueueCounts(queueID: "q", topic: "t", ready: 1, scheduled: 1), QueueCounts(queueID: "q", topic: "u", cancelled: 1),
            ])
        let jobs = try await upgraded.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 10, duration: .seconds(1), owner: "x", now: .now)
        #expect(jobs.count == 1)
    }

    @Test func refusesAStoreFromANewerVersion() async throws {
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99: from the future')")
        }
        #expect(throws: StoreError.newerSchema(store: .path(fixture.path), found: "v99: from the future")) {
            try SQLiteJobStore(.init(path: fixture.path))
        }
        #expect(throws: StoreError.newerSchema(store: .path(fixture.path), found: "v99: from the future")) {
            try SQLiteJobStore.readiness(of: .init(path: fixture.path))
        }
    }

    @Test func readinessReadsTheFileAndOnlyAWritingOpenCreatesIt() throws {
        let folder = TemporaryFolder()
        let settings = SQLiteJobStore.Settings(path: folder.file("a/b/queue.db"))
        #expect(try SQLiteJobStore.readiness(of: settings) == .absent)
        #expect(throws: StoreError.absent(store: .path(settings.path))) { try SQLiteJobStore(settings, creating: false) }
        #expect(!FileManager.default.fileExists(atPath: folder.file("a")))
        _ = try SQLiteJobStore(settings)
        #expect(try SQLiteJobStore.readiness(of: settings) == .ready)
        _ = try SQLiteJobStore(settings, creating: false)
        #expect(try SQLiteJobStore.readiness(of: fixture.store.settings) == .ready)
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
        #expect(throws: StoreError.notAJobQueueStore(store: .path(other), reason: "it holds another application's tables")) {
            try SQLiteJobStore(.init(path: other))
        }
        // Missing folders are created; a file in the way of one is an error.
        #expect(throws: StoreError.self) { try SQLiteJobStore(.init(path: text + "/dir/q.db")) }
        #expect(throws: StoreError.self) { try SQLiteJobStore.readiness(of: .init(path: text + "/dir/q.db")) }
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
