import Foundation
import Testing

extension ProcessTests {
    /// CI's check of the scripts that time whole hosts (docs/benchmarks.md): each runs once at a
    /// tiny size on the debug build beside the tests, and must finish with every drain complete and
    /// a figure for each of its cases. Like `BenchmarkSmokeTests`, it never checks a timing.
    @Suite(.serialized)
    struct BenchmarkScriptsSmokeTests {
        static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts").path
        /// The products folder the scripts take: the host, the fork server and the plugins.
        static var products: String { URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path }

        /// The local PostgreSQL server of the PostgreSQL tests, when there is one.
        static let postgresURL = ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"]

        /// Runs `script` with `arguments` and checks that it succeeded and printed each of `figures`.
        func expectFigures(_ script: String, _ arguments: [String], _ figures: [String]) async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let run = try await cli.run(program: Self.scripts + "/" + script, arguments + [Self.products])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            for figure in figures {
                #expect(run.stdout.contains(figure), "no figure for \(figure): \(run.stdout)")
            }
        }

        @Test(.timeLimit(.minutes(2)))
        func benchTimedRunsEveryCase() async throws {
            try await expectFigures(
                "bench-timed.sh", ["--runs", "1", "--ms", "1", "--noop", "200"],
                ["one", "spread", "both", "noop-b10c4", "noop-b100c4", "noop-b100c2"].map { "\n\($0) " })
        }

        /// Needs the local PostgreSQL server of the PostgreSQL tests (`JOBQUEUE_TEST_POSTGRES_URL`).
        @Test(.enabled(if: postgresURL != nil), .timeLimit(.minutes(2)))
        func benchPgCostMeasuresEveryCase() async throws {
            let url = try #require(Self.postgresURL)
            try await expectFigures(
                "bench-pg-cost.sh", ["--runs", "1", "--jobs", "200", "--hosts", "1 2", "--cells", "10x4", "--queues", "100 1", "--postgres", url],
                ["   100       10x4     1 ", "   100       10x4     2 ", "     1       10x4     1 ", "     1       10x4     2 "])
        }

        /// Needs the local PostgreSQL server of the PostgreSQL tests (`JOBQUEUE_TEST_POSTGRES_URL`, with
        /// pg_stat_statements loaded, as `scripts/postgres.sh` starts it) and, on first use, PyPI (pgqueuer).
        @Test(.enabled(if: postgresURL != nil), .timeLimit(.minutes(2)))
        func benchPgqueuerDrainsThroughBoth() async throws {
            let url = try #require(Self.postgresURL)
            try await expectFigures(
                "bench-pgqueuer.sh", ["--runs", "1", "--jobs", "200", "--cells", "10x4", "--postgres", url],
                ["JobQueue       10x4 ", "pgqueuer       10x4 ", "JobQueue ÷ pgqueuer, 10x4, run by run: "])
        }

        /// Needs beanstalkd (`scripts/install-deps.sh --tests` installs it) and PyPI (greenstalk).
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/beanstalkd")), .timeLimit(.minutes(2)))
        func benchBeanstalkdDrainsThroughBoth() async throws {
            try await expectFigures(
                "bench-beanstalkd.sh", ["--runs", "1", "--jobs", "200"],
                [
                    "beanstalkd (binlog), 2 Python workers", "JobQueue, batch 100 × 4 (defaults), sync full", "JobQueue, batch 10 × 4, sync full",
                    "JobQueue, batch 100 × 2, sync full",
                ])
        }
    }
}
