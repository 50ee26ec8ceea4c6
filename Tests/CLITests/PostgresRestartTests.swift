import Foundation
import Testing

extension ProcessTests {
    /// The database server restarting under a running host: connections are cut mid-transaction,
    /// the host carries on once the server is back, and no job is lost. Runs its own throwaway server
    /// (scripts/postgres.sh), so it needs PostgreSQL's server binaries: enabled with the other
    /// PostgreSQL tests, by `JOBQUEUE_TEST_POSTGRES_URL`.
    @Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil))
    struct PostgresRestartTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres.sh").path

        /// Runs scripts/postgres.sh; returns what it printed. (posix_spawn and waitpid: Foundation's
        /// Process sometimes misses the exit of a script whose children daemonize.)
        static func server(_ command: String, _ folder: String) throws -> String {
            let output = folder + ".out"
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let arguments = ["/bin/bash", script, command, folder]
            var argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            #expect(posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ) == 0)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            #expect(status == 0, "postgres.sh \(command) failed")
            defer { unlink(output) }
            return (try String(contentsOfFile: output, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test func aHostCarriesOnAfterTheServerRestarts() async throws {
            let serverFolder = "/tmp/jobqueue-restart-\(UUID().uuidString.prefix(8))"
            let url = try Self.server("start", serverFolder)
            defer { _ = try? Self.server("stop", serverFolder) }

            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let runLog = cli.folder + "/runs.log"
            try cli.write(
                "config.yaml",
                HostTests.config(
                    [("chaos", HostTests.plugin("ChaosWorker"), "config: { log_file: \(runLog) }")],
                    consumer: "{ concurrency: 2, batch_size: 10, lease: 2s, poll: 50ms, grace: 1s }"
                )
                .replacingOccurrences(of: "store: { path: queue.db, sync: normal }", with: "store: { url: \"\(url)\", timeout: 2s }"))
            let jobs = 1000
            try cli.write("jobs.jsonl", (0..<jobs).map { #"{"queue": "q\#($0 % 10)", "topic": "chaos", "payload": 3}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)

            let (host, _, err) = try cli.start(["run", "--drain"])
            func ran() -> Int { ((try? String(contentsOfFile: runLog, encoding: .utf8)) ?? "").split(separator: "\n").count }
            let deadline = Date().addingTimeInterval(60)
            while ran() < jobs / 4 && Date() < deadline { await pause(5_000) }
            _ = try Self.server("restart", serverFolder)

            let log = await err.readAll()
            await host.exited()
            #expect(host.terminationStatus == 0, "\(log)")
            let ids = Set(
                ((try? String(contentsOfFile: runLog, encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
                    $0.split(separator: " ").first.flatMap { Int($0) }
                })
            #expect(ids == Set(1...jobs), "missing \(Set(1...jobs).subtracting(ids).count) jobs")
            let status = try await cli.statusJSON()
            #expect(status["totals"] as? [String: Int] == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
        }
    }
}
