import Foundation
import JobQueue
import JobQueuePostgres
import Logging
import Testing

/// The store backends the contract suite runs against. PostgreSQL needs a server: set
/// `JOBQUEUE_TEST_POSTGRES_URL` (`.ci/run` starts one with scripts/postgres.sh).
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a test server is configured.
    static var available: [StoreBackend] { postgresURL == nil ? [.sqlite] : allCases }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] }

    /// A new, empty store of this backend: a file in a fresh folder, or a fresh schema.
    func makeStore() async throws -> TestStore {
        switch self {
        case .sqlite:
            let folder = TemporaryFolder()
            return TestStore(store: try SQLiteJobStore(.init(path: folder.file("queue.db"), sync: .normal)), folder: folder)
        case .postgres:
            let store = try await PostgresJobStore(try Self.postgresSettings(schema: Self.freshSchemaName()), logger: .quiet)
            return TestStore(store: store, folder: nil)
        }
    }

    static func postgresSettings(schema: String) throws -> PostgresStoreSettings {
        guard let url = postgresURL else { throw TestSetupError("JOBQUEUE_TEST_POSTGRES_URL is not set") }
        return try PostgresStoreSettings(url: url, schema: schema, maxConnections: 4)
    }

    /// A schema name no other test uses.
    static func freshSchemaName() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }
}

/// A store under test and what must live as long as it does.
struct TestStore: Sendable {
    let store: any JobStore
    let folder: TemporaryFolder?
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` on a new store of `backend`, closing it afterwards.
func withStore<Result>(_ backend: StoreBackend, _ body: (any JobStore) async throws -> Result) async throws -> Result {
    let test = try await backend.makeStore()
    do {
        let result = try await body(test.store)
        await test.store.close()
        return result
    } catch {
        await test.store.close()
        throw error
    }
}

@Suite struct PostgresAvailabilityTests {
    /// CI must run the suite against PostgreSQL too; locally it is optional.
    @Test func ciRunsThePostgresBackend() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(StoreBackend.postgresURL != nil, "CI=true but JOBQUEUE_TEST_POSTGRES_URL is not set: .ci/run should start a server")
        }
    }
}
