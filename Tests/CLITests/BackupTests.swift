import Foundation
import Testing

extension ProcessTests {
    /// `jobqueue backup`: a copy taken while a host runs restores every job.
    @Suite(.serialized) struct BackupTests {
        static let config = HostTests.config(
            [("fault", HostTests.plugin("FaultWorker"), "timeout: 10m")],
            consumer: "{ concurrency: 1, batch_size: 1, lease: 1s, poll: 50ms, grace: 100ms }")

        /// The queues of `status --json ARGS`, leased jobs counted with the ready ones (a lease in a
        /// copy runs out while no host extends it).
        func queues(_ cli: CLI, _ arguments: String...) async throws -> [[String: Int]] {
            let status = try await cli.statusJSON(arguments)
            return (status["queues"] as? [[String: Any]] ?? []).map { row in
                [
                    "ready+leased": (row["ready"] as! Int) + (row["leased"] as! Int), "scheduled": row["scheduled"] as! Int,
                    "dead": row["dead"] as! Int,
                ]
            }
        }

        @Test func aCopyTakenWhileAHostRunsRestoresEveryJob() async throws {
            let cli = try CLI(config: Self.config)
            defer { cli.cleanUp() }
            try await cli.run("enqueue", "q", "fault", #""discard:unwanted""#)
            try await cli.run("enqueue", "q", "fault", #""sleep:60000""#)
            try await cli.run("enqueue", "q", "fault", #""ok""#, "--in", "1h")
            try await cli.run("enqueue", "q", "fault", #""ok""#, "--in", "2h")
            try await cli.run("enqueue", "q", "unserved", #""ok""#)
            let host = try cli.start(["run"], errorLog: cli.folder + "/host.log")
            let busy = try await cli.eventually { status in
                let totals = status["totals"] as? [String: Int] ?? [:]
                return totals["running"] == 1 && totals["dead"] == 1
            }
            #expect(busy)

            let backup = try await cli.run("backup", "copy.db")
            #expect(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stdout.hasPrefix("backed up \(cli.folder)/queue.db to copy.db: 4 jobs, 1 dead letter, "), "\(backup.stdout)")
            var info = stat()
            #expect(stat(cli.folder + "/copy.db", &info) == 0 && info.st_mode & 0o777 == 0o600)
            #expect(try !FileManager.default.contentsOfDirectory(atPath: cli.folder).contains { $0.contains("partial") })

            // Restored: the host stopped (its running job released) and the copy served instead.
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            try cli.write("restored.yaml", Self.config.replacingOccurrences(of: "path: queue.db", with: "path: copy.db"))
            let copy = try await cli.statusJSON("--config", "restored.yaml")
            #expect((copy["hosts"] as? [Any])?.isEmpty == true, "a copy holds no host records")
            let live = try await queues(cli)
            #expect(live == [["ready+leased": 1, "scheduled": 2, "dead": 1], ["ready+leased": 1, "scheduled": 0, "dead": 0]])
            #expect(try await queues(cli, "--config", "restored.yaml") == live)
            let dead = try await cli.run("dead", "list", "--json", "--config", "restored.yaml").stdout
            #expect(dead.contains("unwanted"), "\(dead)")
            #expect(try await cli.run("enqueue", "--config", "restored.yaml", "q", "fault", #""ok""#).status == 0)
        }

        @Test func aBackupNeverOverwritesAndNamesWhatIsWrong() async throws {
            let cli = try CLI(config: Self.config)
            defer { cli.cleanUp() }
            let absent = try await cli.run("backup", "copy.db")
            #expect(absent.status == 1 && absent.stderr.contains("no store at path: \(cli.folder)/queue.db"), "\(absent.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.folder + "/queue.db"), "a backup creates no store")

            try await cli.run("enqueue", "q", "fault", #""ok""#)
            try cli.write("copy.db", "precious")
            let occupied = try await cli.run("backup", "copy.db")
            #expect(occupied.status == 1, "\(occupied.stderr)")
            #expect(
                occupied.stderr
                    == "Error: cannot back up to copy.db: a file is there already (a backup never overwrites one); nothing was written there\n")
            #expect(try String(contentsOfFile: cli.folder + "/copy.db", encoding: .utf8) == "precious")

            try cli.write("pg.yaml", "store: { url: \"postgres://app@db.invalid/jobs\" }\n")
            let postgres = try await cli.run("backup", "--config", "pg.yaml", "copy2.db")
            #expect(postgres.status != 0 && postgres.stderr.contains("pg_dump"), "\(postgres.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.folder + "/copy2.db"))
        }
    }
}
