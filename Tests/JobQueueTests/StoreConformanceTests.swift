import JobQueueTestKit
import Testing

/// The store contract (`StoreConformance`, the kit any backend runs against itself) on each
/// built-in store: a SQLite file; a PostgreSQL schema when a server is configured.
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreBackend.available, StoreConformance.checks)
    func storeConforms(backend: StoreBackend, check: StoreConformance.Check) async throws {
        let test = try await backend.makeStore()
        try await check.run(on: test.store)
        withExtendedLifetime(test.folder) {}
    }
}
