import Foundation
import JobQueueTestKit
import Logging
import PostgresNIO
import Testing

@testable import JobQueue
@testable import JobQueuePostgres

/// What only the PostgreSQL store has: the caller's transaction, concurrent migrations, a schema
/// per store, LISTEN/NOTIFY, connection errors. Needs `JOBQUEUE_TEST_POSTGRES_URL`.
@Suite(.enabled(if: StoreBackend.postgresURL != nil, "JOBQUEUE_TEST_POSTGRES_URL is not set"))
struct PostgresStoreTests {
    let settings: PostgresStoreSettings

    init() throws {
        settings = try StoreBackend.postgresSettings(schema: StoreBackend.freshSchemaName())
    }

    /// A connection of the application's own, as a library user would have.
    @discardableResult
    func withApplicationConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await PostgresConnection.connect(configuration: settings.connectionConfiguration(), id: 99, logger: .quiet)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Migration v9 counts what the schema already holds; folding the changes keeps the counts.
    @Test func theCountsOfAnUpgradedSchemaStartFromWhatItHolds() async throws {
        let store = try await PostgresJobStore(settings, logger: .quiet)
        let ids = try await store.enqueue([.make(payload: "1"), .make(payload: "2"), .make("q", "u", visibleAt: .now + .seconds(3600))])
        _ = try await store.cancel(.ids([ids[1]]), reason: "r", now: .now)
        let expected = [QueueCounts(queueID: "q", topic: "t", ready: 1, cancelled: 1), QueueCounts(queueID: "q", topic: "u", scheduled: 1)]
        #expect(try await store.status(now: .now).queues == expected)
        #expect(try await store.prune(completedBefore: .now, deadBefore: nil, limit: 10) == 0)
        #expect(try await store.status(now: .now).queues == expected, "folded")
        await store.close()
        // Back to v8, as a schema written by the previous version: no counts at all.
        let schema = settings.schema
        try await withApplicationConnection { connection in
            for statement: PostgresQuery in [
                "DROP TABLE \(unescaped: schema).queue_counts, \(unescaped: schema).count_changes",
                "DROP FUNCTION \(unescaped: schema).count_jobs, \(unescaped: schema).count_dead_letters CASCADE",
                "DROP INDEX \(unescaped: schema).jobs_scheduled",
                "DELETE FROM \(unescaped: schema).schema_migrations WHERE identifier LIKE 'v9:%'",
            ] {
                try await connection.query(statement, logger: .quiet)
            }
        }
        let upgraded = try await PostgresJobStore(settings, logger: .quiet)
        #expect(try await upgraded.status(now: .now).queues == expected)
        await upgraded.close()
    }

    /// Migration v8 installs the SQL `enqueue` function in a schema an older version wrote.
    @Test func anUpgradedSchemaGetsTheEnqueueFunction() async throws {
        await (try await PostgresJobStore(settings, logger: .quiet)).close()
        let schema = settings.schema
        try await withApplicationConnection { connection in
            try await connection.query("DROP FUNCTION \(unescaped: schema).enqueue", logger: .quiet)
            try await connection.query(
                "DELETE FROM \(unescaped: schema).schema_migrations WHERE identifier LIKE 'v8:%'", logger: .quiet)
        }
        let upgraded = try await PostgresJobStore(settings, logger: .quiet)
        let id = try await withApplicationConnection { connection in
            try await connection.query("SELECT \(unescaped: schema).enqueue('q', 't', '{}'::jsonb)", logger: .quiet).collect()
                .first?.decode(Int64.self)
        }
        let leased = try await upgraded.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 10, duration: .seconds(30), owner: "test", now: .now)
        #expect(leased.map(\.id.rawValue) == [try #require(id)])
        await upgraded.close()
    }

    /// Migration v10 installs the take and completion functions in a schema an older version
    /// wrote, and the job path runs through them.
    @Test func anUpgradedSchemaGetsTheJobPathFunctions() async throws {
        await (try await PostgresJobStore(settings, logger: .quiet)).close()
        let schema = settings.schema
        try await withApplicationConnection { connection in
            try await connection.query(
                "DROP FUNCTION \(unescaped: schema).take_batches, \(unescaped: schema).complete_jobs", logger: .quiet)
            try await connection.query(
                "DELETE FROM \(unescaped: schema).schema_migrations WHERE identifier LIKE 'v10:%'", logger: .quiet)
        }
        let upgraded = try await PostgresJobStore(settings, logger: .quiet)
        _ = try await upgraded.enqueue([.make(payload: "1"), .make(payload: "2")])
        let batches = try #require(
            try await upgraded.take(
                topics: ["t"], scan: 10, plan: { [$0] }, limits: BatchLimits(batchSize: 10), duration: .seconds(30), owner: "test", now: .now))
        #expect(batches.map { $0.map(\.text) } == [["1", "2"]])
        let settled = try await upgraded.settle(batches[0].map { Settlement(job: $0.id, lease: $0.lease, action: .complete) })
        #expect(settled == [true, true])
        #expect(try await upgraded.status(now: .now).queues.isEmpty)
        #expect(try await upgraded.nextVisibleTime(topics: ["t"]) == nil, "the emptied queue's pointer is gone")
        await upgraded.close()
    }

    /// A take finds nothing (nil, as when no queue is ready) while another transaction holds the
    /// only ready queue's pointer, without waiting for it; once released, the queue is taken.
    @Test func aTakeSkipsAQueueAnotherTransactionHolds() async throws {
        let store = try await PostgresJobStore(settings, logger: .quiet)
        _ = try await store.enqueue([.make(payload: "1")])
        let schema = settings.schema
        let take: @Sendable () async throws -> [[LeasedJob]]? = {
            try await store.take(
                topics: ["t"], scan: 10, plan: { [$0] }, limits: BatchLimits(batchSize: 10), duration: .seconds(30), owner: "test", now: .now)
        }
        try await withApplicationConnection { connection in
            try await connection.query("BEGIN", logger: .quiet)
            try await connection.query("SELECT 1 FROM \(unescaped: schema).queue_pointers FOR UPDATE", logger: .quiet)
            #expect(try await take() == nil)
            try await connection.query("ROLLBACK", logger: .quiet)
        }
        #expect(try await take()?.map { $0.map(\.text) } == [["1"]])
        await store.close()
    }

    @Test func jobsEnqueuedInTheCallersTransactionExistOnlyIfItCommits() async throws {
        let store = try await PostgresJobStore(settings, logger: .quiet)
        let schema = settings.schema
        struct Abandon: Error {}
        try await withApplicationConnection { connection in
            try await connection.query("CREATE TABLE \(unescaped: schema).orders (id int)", logger: .quiet)
            // Committed: the order and its job, together.
            try await connection.withTransaction(logger: .quiet) { connection in
                try await connection.query("INSERT INTO \(unescaped: schema).orders VALUES (1)", logger: .quiet)
                _ = try await store.enqueue([.make("shop", "email", payload: "order 1")], on: connection)
            }
            // Rolled back: neither.
            await #expect(throws: PostgresTransactionError.self) {
                try await connection.withTransaction(logger: .quiet) { connection in
                    try await connection.query("INSERT INTO \(unescaped: schema).orders VALUES (2)", logger: .quiet)
                    _ = try await store.enqueue([.make("shop", "email", payload: "order 2")], on: connection)
                    throw Abandon()
                }
            }
            let orders = try await connection.query("SELECT id FROM \(unescaped: schema).orders", logger: .quiet).collect()
            #expect(try orders.map { try $0.decode(Int.self) } == [1])
        }
        let leased = try await store.lease(
            queue: QueueKey(queueID: "shop", topic: "email"), limit: 10, duration: .seconds(30), owner: "test", now: .now)
        #expect(leased.map(\.text) == ["order 1"])
        await store.close()
    }

    /// One unique key from several hosts' stores at once, some enqueueing in their callers'
    /// transactions that roll back after a while: exactly one live job is left, and every
    /// enqueue that committed returned its id.
    @Test func concurrentUniqueEnqueuesFromSeveralHostsAndRollbacksLeaveOneJob() async throws {
        var stores: [PostgresJobStore] = []
        for _ in 0..<3 { stores.append(try await PostgresJobStore(settings, logger: .quiet)) }
        struct Abandon: Error {}
        let committed = try await withThrowingTaskGroup(of: JobID?.self) { group in
            for index in 0..<50 {
                let store = stores[index % stores.count]
                group.addTask {
                    let job = NewJob.make("shop", "invoice", payload: "\(index)", uniqueKey: "invoice-42")
                    guard index % 5 == 0 else { return try await store.enqueue([job])[0] }
                    // Holds the key in a transaction that then rolls back: the others wait, then go on.
                    try? await withApplicationConnection { connection in
                        try await connection.withTransaction(logger: .quiet) { connection in
                            _ = try await store.enqueue([job], on: connection)
                            try await Task.sleep(for: .milliseconds(20))
                            throw Abandon()
                        }
                    }
                    return nil
                }
            }
            return try await group.reduce(into: [JobID]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(committed.count == 40)
        #expect(Set(committed).count == 1, "every committed enqueue returned the one job's id")
        let status = try await stores[0].status(now: .now)
        #expect(status.queues.map(\.ready) == [1])
        #expect(try await stores[0].job(committed[0], now: .now)?.state == .ready)
        for store in stores { await store.close() }
    }

    /// The store's pooled connections find its tables through their `search_path`; a caller's
    /// connection may have any, so enqueueing on it names the store's schema.
    @Test func jobsEnqueuedOnTheCallersConnectionGoToThisStoreWhateverItsSearchPath() async throws {
        let store = try await PostgresJobStore(settings, logger: .quiet)
        var otherSettings = settings
        otherSettings.schema = StoreBackend.freshSchemaName()
        let other = try await PostgresJobStore(otherSettings, logger: .quiet)
        try await withApplicationConnection { connection in
            try await connection.query("SET search_path TO \(unescaped: otherSettings.schema)", logger: .quiet)
            try await connection.withTransaction(logger: .quiet) { connection in
                _ = try await store.enqueue([.make("shop", "email", payload: "order 1")], on: connection)
            }
        }
        #expect(try await other.status(now: .now).queues.isEmpty)
        let leased = try await store.take(
            topics: ["email"], scan: 10, plan: { [$0] }, limits: BatchLimits(batchSize: 10), duration: .seconds(30), owner: "test", now: .now)
        #expect(leased?.map { $0.map(\.text) } == [["order 1"]])
        await store.close()
        await other.close()
    }

    @Test func hostsStartingAtOnceMigrateOnce() async throws {
        let settings = settings
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { await (try PostgresJobStore(settings, logger: .quiet)).close() }
            }
            try await group.waitForAll()
        }
        try await withApplicationConnection { connection in
            let rows = try await connection.query(
                "SELECT identifier FROM \(unescaped: settings.schema).schema_migrations ORDER BY identifier", logger: .quiet
            ).collect()
            #expect(try rows.map { try $0.decode(String.self) } == PostgresSchema.migrations.map(\.identifier).sorted())
        }
    }

    @Test func refusesASchemaFromANewerVersion() async throws {
        await (try PostgresJobStore(settings, logger: .quiet)).close()
        try await withApplicationConnection { connection in
            try await connection.query(
                "INSERT INTO \(unescaped: settings.schema).schema_migrations (identifier) VALUES ('v99: from the future')", logger: .quiet)
        }
        await #expect(throws: StoreError.newerSchema(store: settings.location, found: "v99: from the future")) {
            try await PostgresJobStore(settings, logger: .quiet)
        }
        await #expect(throws: StoreError.newerSchema(store: settings.location, found: "v99: from the future")) {
            try await PostgresJobStore.readiness(of: settings, logger: .quiet)
        }
    }

    @Test func readinessReadsTheSchemaAndOnlyAWritingOpenCreatesIt() async throws {
        #expect(try await PostgresJobStore.readiness(of: settings, logger: .quiet) == .absent)
        await #expect(throws: StoreError.absent(store: settings.location)) {
            try await PostgresJobStore(settings, creating: false, logger: .quiet)
        }
        #expect(try await PostgresJobStore.readiness(of: settings, logger: .quiet) == .absent)
        await (try PostgresJobStore(settings, logger: .quiet)).close()
        #expect(try await PostgresJobStore.readiness(of: settings, logger: .quiet) == .ready)
        await (try PostgresJobStore(settings, creating: false, logger: .quiet)).close()
        try await withApplicationConnection { connection in
            let last = PostgresSchema.migrations.last!.identifier
            try await connection.query("DELETE FROM \(unescaped: settings.schema).schema_migrations WHERE identifier = \(last)", logger: .quiet)
        }
        // Only the record was removed: enough to see that an upgrade would be due.
        #expect(try await PostgresJobStore.readiness(of: settings, logger: .quiet) == .upgradable)
    }

    @Test func storesUnderDifferentSchemasAreIndependent() async throws {
        let first = try await PostgresJobStore(settings, logger: .quiet)
        var otherSettings = settings
        otherSettings.schema = StoreBackend.freshSchemaName()
        let second = try await PostgresJobStore(otherSettings, logger: .quiet)
        _ = try await first.enqueue([.make()])
        #expect(try await first.status(now: .now).queues.map(\.ready) == [1])
        #expect(try await second.status(now: .now).queues.isEmpty)
        // Both pools prepare the same statements, each running them in its own schema.
        _ = try await second.enqueue([.make("q", "t", payload: "second's")])
        let take = { (store: PostgresJobStore) in
            try await store.take(
                topics: ["t"], scan: 10, plan: { [$0] }, limits: BatchLimits(batchSize: 10), duration: .seconds(30), owner: "test", now: .now)
        }
        #expect(try await take(second)?.map { $0.map(\.text) } == [["second's"]])
        #expect(try await take(second) == nil)
        #expect(try await take(first)?.map { $0.map(\.text) } == [["{}"]])
        await first.close()
        await second.close()
    }

    @Test func anEnqueueInAnotherProcessWakesAListeningHost() async throws {
        let listening = try await PostgresJobStore(settings, logger: .quiet)
        let other = try await PostgresJobStore(settings, logger: .quiet)  // its own pool, as another host's
        let woken = AsyncCounter()
        let watcher = Task {
            for await _ in listening.changes(checkingEvery: .milliseconds(100)) { await woken.increment() }
        }
        // Enqueue until the listener has heard one (its LISTEN may not be registered yet at first).
        let heard = try await eventually(timeout: .seconds(10)) {
            _ = try await other.enqueue([.make()])
            try await Task.sleep(for: .milliseconds(20))
            return await woken.value > 0
        }
        #expect(heard)
        watcher.cancel()
        await listening.close()
        await other.close()
    }

    @Test func anUnreachableServerIsAOneLineErrorWithoutThePassword() async throws {
        let settings = try PostgresStoreSettings(url: "postgres://app:hunter2@127.0.0.1:1/jobs?sslmode=disable")
        do {
            _ = try await PostgresJobStore(settings, logger: .quiet)
            Issue.record("opened a store on a closed port")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("cannot open store url: postgres://app:***@127.0.0.1:1/jobs: "))
            #expect(!message.contains("hunter2"))
            #expect(!message.contains("\n"))
        }
    }
}

/// The URL forms users write, and the ones refused. No server needed.
@Suite struct PostgresSettingsTests {
    @Test func readsTheURLFormsOfLibpq() throws {
        let tcp = try PostgresStoreSettings(url: "postgresql://app:s%40cret@db.internal:6432/jobs?sslmode=require")
        #expect(tcp.host == "db.internal" && tcp.port == 6432 && tcp.username == "app" && tcp.password == "s@cret")
        #expect(tcp.database == "jobs" && tcp.tls == .require && tcp.socketFolder == nil)
        #expect(tcp.description == "postgres://app:***@db.internal:6432/jobs")

        let socket = try PostgresStoreSettings(url: "postgres://app@/jobs?host=/run/postgresql", password: "from-env")
        #expect(socket.socketFolder == "/run/postgresql" && socket.tls == .disable && socket.password == "from-env")
        #expect(socket.description == "postgres://app:***@/jobs?host=/run/postgresql")

        let defaults = try PostgresStoreSettings(url: "postgres://app@localhost")
        #expect(defaults.port == 5432 && defaults.database == "app" && defaults.tls == .prefer && defaults.schema == "jobqueue")
    }

    @Test(
        arguments: [
            ("mysql://app@db/jobs", PostgresSettingsError.unsupportedScheme("mysql"), "unsupported scheme 'mysql': expected postgres://"),
            (
                "postgres://app@db/jobs?sslmode=verify-full", .unknownSSLMode("verify-full"),
                "sslmode 'verify-full' is not one of disable, prefer, require"
            ),
            ("postgres://app@db/jobs?timeout=3", .unknownParameter("timeout"), "unknown URL parameter 'timeout' (known: sslmode, host)"),
            ("db.internal:5432", .unsupportedScheme("db.internal"), "unsupported scheme 'db.internal': expected postgres://"),
            ("", .notAURL, "not a URL: expected postgres://user@host:port/database"),
        ] as [(String, PostgresSettingsError, String)])
    func refusesWhatItCannotUse(url: String, error: PostgresSettingsError, message: String) {
        #expect(throws: error) { try PostgresStoreSettings(url: url) }
        #expect(error.key == .url)
        #expect(error.description == message)
    }

    @Test func refusesSchemaNamesThatAreNotPlainIdentifiers() {
        for schema in ["Public", "1st", "a-b", "a b", "x;drop", String(repeating: "a", count: 64), ""] {
            #expect(throws: PostgresSettingsError.invalidSchema(schema)) { try PostgresStoreSettings(url: "postgres://a@b/c", schema: schema) }
        }
        #expect(PostgresSettingsError.invalidSchema("A").key == .schema)
    }

    @Test func refusesFewerThanOneConnection() {
        #expect(throws: PostgresSettingsError.tooFewConnections(0)) { try PostgresStoreSettings(url: "postgres://a@b/c", maxConnections: 0) }
        #expect(PostgresSettingsError.tooFewConnections(0).key == .maxConnections)
    }
}

actor AsyncCounter {
    private(set) var value = 0
    func increment() { value += 1 }
}
