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

        @Test(.timeLimit(.minutes(2)))
        func benchTimedRunsEveryCase() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let run = try await cli.run(program: Self.scripts + "/bench-timed.sh", ["--runs", "1", "--ms", "1", "--noop", "200", Self.products])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            for name in ["one", "spread", "both", "noop-b10c4", "noop-b100c4", "noop-b100c2"] {
                #expect(run.stdout.contains("\n\(name) "), "no figure for \(name): \(run.stdout)")
            }
        }

        /// Needs the local PostgreSQL server of the PostgreSQL tests (`JOBQUEUE_TEST_POSTGRES_URL`).
        @Test(.enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil), .timeLimit(.minutes(2)))
        func benchPgCostMeasuresEveryCase() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let url = try #require(ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"])
            let run = try await cli.run(
                program: Self.scripts + "/bench-pg-cost.sh",
                ["--runs", "1", "--jobs", "200", "--hosts", "1 2", "--cells", "10x4", "--queues", "100 1", "--postgres", url, Self.products])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            for line in ["   100       10x4     1 ", "   100       10x4     2 ", "     1       10x4     1 ", "     1       10x4     2 "] {
                #expect(run.stdout.contains(line), "no figure for \(line): \(run.stdout)")
            }
        }

        /// Needs the local PostgreSQL server of the PostgreSQL tests (`JOBQUEUE_TEST_POSTGRES_URL`, with
        /// pg_stat_statements loaded, as `scripts/postgres.sh` starts it) and, on first use, PyPI (pgqueuer).
        @Test(.enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil), .timeLimit(.minutes(2)))
        func benchPgqueuerDrainsThroughBoth() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let url = try #require(ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"])
            let run = try await cli.run(
                program: Self.scripts + "/bench-pgqueuer.sh", ["--runs", "1", "--jobs", "200", "--cells", "10x4", "--postgres", url, Self.products])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            for line in ["JobQueue       10x4 ", "pgqueuer       10x4 "] {
                #expect(run.stdout.contains(line), "no figure for \(line): \(run.stdout)")
            }
        }

        /// Needs beanstalkd (`scripts/install-deps.sh --tests` installs it) and PyPI (greenstalk).
        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/beanstalkd")), .timeLimit(.minutes(2)))
        func benchBeanstalkdDrainsThroughBoth() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let run = try await cli.run(program: Self.scripts + "/bench-beanstalkd.sh", ["--runs", "1", "--jobs", "200", Self.products])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            for line in [
                "beanstalkd (binlog), 2 Python workers", "JobQueue, batch 100 × 4 (defaults), sync full", "JobQueue, batch 10 × 4, sync full",
                "JobQueue, batch 100 × 2, sync full",
            ] {
                #expect(run.stdout.contains(line), "no figure for \(line): \(run.stdout)")
            }
        }
    }
}
