import Foundation
import Testing

extension ProcessTests {
    /// The PostgreSQL store's `enqueue` SQL function, called from Python (psycopg, in
    /// Tests/Python/pg_enqueue_test.py) inside the caller's transactions: commit and rollback,
    /// bad arguments, unique keys, concurrent callers; then a host runs every job it stored, so
    /// the pointer index was kept right. Needs `JOBQUEUE_TEST_POSTGRES_URL` and the test Python
    /// (`JOBQUEUE_TEST_BROWSER_PYTHON`, which scripts/test.sh gives psycopg).
    @Suite(
        .enabled(
            if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil
                && ProcessInfo.processInfo.environment["JOBQUEUE_TEST_BROWSER_PYTHON"] != nil))
    struct PostgresEnqueueFunctionTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Python/pg_enqueue_test.py").path

        @Test func applicationsEnqueueInTheirOwnTransactionsAndHostsRunTheJobs() async throws {
            let environment = ProcessInfo.processInfo.environment
            let url = try #require(environment["JOBQUEUE_TEST_POSTGRES_URL"])
            let python = try #require(environment["JOBQUEUE_TEST_BROWSER_PYTHON"])
            let schema = "sqlfn_" + UUID().uuidString.prefix(8).lowercased()
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write(
                "config.yaml",
                HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]).replacingOccurrences(
                    of: "store: { path: queue.db, sync: normal }", with: "store: { url: \"\(url)\", schema: \(schema) }"))
            // The schema, created (migrations applied) by a host that finds nothing to do.
            #expect(try await cli.run("run", "--drain").status == 0)

            let result = try await cli.run(program: python, [Self.script, url, schema])
            #expect(result.status == 0 && result.stdout.contains("pg enqueue: every check passed"), "\(result.stdout)\(result.stderr)")
            #expect((try await cli.statusJSON()["totals"] as? [String: Int])?["ready"] == 202)
            let drain = try await cli.run("run", "--drain")
            #expect(drain.status == 0, "\(drain.stderr)")
            let totals = try await cli.statusJSON()["totals"] as? [String: Int]
            #expect(totals?["ready"] == 0 && totals?["dead"] == 0, "\(String(describing: totals))")
        }
    }
}
