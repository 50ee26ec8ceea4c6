import Foundation
import Testing

extension ProcessTests {
    /// At-least-once delivery under SIGKILL: hosts, fork servers and children killed at random
    /// moments while jobs flow. CI runs a short version; the long one is
    /// `JOBQUEUE_CHAOS_JOBS=10000 JOBQUEUE_CHAOS_KILLS=40 swift test --skip-build --filter ChaosTests`.
    @Suite(.serialized) struct ChaosTests {
        static let jobs = Int(ProcessInfo.processInfo.environment["JOBQUEUE_CHAOS_JOBS"] ?? "") ?? 600
        static let kills = Int(ProcessInfo.processInfo.environment["JOBQUEUE_CHAOS_KILLS"] ?? "") ?? 6
        static let concurrency = 2, batchSize = 10

        struct Setup {
            let cli: CLI
            let runLog: String
        }

        func setUp() async throws -> Setup {
            let cli = try CLI(config: "")
            let runLog = cli.folder + "/runs.log"
            try cli.write(
                "config.yaml",
                HostTests.config(
                    [("chaos", HostTests.plugin("ChaosWorker"), "config: { log_file: \(runLog) }")],
                    consumer: "{ concurrency: \(Self.concurrency), batch_size: \(Self.batchSize), lease: 400ms, poll: 20ms, grace: 1s }"
                )
                .replacingOccurrences(of: "defaults: {", with: "defaults: { max_retries: 50,"))
            try cli.write("jobs.jsonl", (0..<Self.jobs).map { #"{"queue": "q\#($0 % 5)", "topic": "chaos", "payload": 1}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            return Setup(cli: cli, runLog: runLog)
        }

        /// Pids of the processes whose parent is `parent`.
        static func children(of parent: Int32) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
                return fields.count > 1 && Int32(fields[1]) == parent
            }
        }

        /// Kills, in turn, the host, its fork server, or a batch child; then the host.
        func killRound(_ round: Int, _ host: Process) async {
            await pause(UInt32.random(in: 100_000...350_000))
            let forkServers = Self.children(of: host.processIdentifier)
            switch round % 3 {
            case 1: forkServers.forEach { kill($0, SIGKILL) }
            case 2: forkServers.flatMap(Self.children(of:)).prefix(1).forEach { kill($0, SIGKILL) }
            default: break
            }
            if round % 3 != 0 { await pause(UInt32.random(in: 100_000...250_000)) }
            kill(host.processIdentifier, SIGKILL)
            await host.exited()
        }

        /// Checks that every job ran, none is left queued, leased or dead, and returns the duplicates.
        func verify(_ setup: Setup) async throws -> Int {
            let runs = try String(contentsOfFile: setup.runLog, encoding: .utf8).split(separator: "\n")
            let ids = Set(runs.compactMap { $0.split(separator: " ").first.flatMap { Int($0) } })
            #expect(ids == Set(1...Self.jobs), "missing \(Set(1...Self.jobs).subtracting(ids).count) jobs")
            let status = try await JSONSerialization.jsonObject(with: Data(try setup.cli.run("status", "--json").stdout.utf8)) as! [String: Any]
            #expect(status["totals"] as? [String: Int] == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
            return runs.count - ids.count
        }

        @Test func killedHostsForkServersAndChildrenLoseNoJob() async throws {
            let setup = try await setUp()
            defer { setup.cli.cleanUp() }
            for round in 0..<Self.kills {
                let (host, _, _) = try setup.cli.start(["run"])
                await killRound(round, host)
            }
            let drain = try await setup.cli.run("run", "--drain")
            #expect(drain.status == 0, "\(drain.stderr)")
            let duplicates = try await verify(setup)
            // A kill can repeat at most the jobs its host had leased: concurrency × batch size.
            #expect(duplicates <= Self.kills * Self.concurrency * Self.batchSize)
            print("chaos: \(Self.jobs) jobs, \(Self.kills) kills survived, 0 lost, \(duplicates) duplicate runs")
        }

        @Test func aKilledForkServerIsReplacedAndTheHostCarriesOn() async throws {
            let setup = try await setUp()
            defer { setup.cli.cleanUp() }
            let (host, _, err) = try setup.cli.start(["run", "--drain"])
            // Killed once the host serves (killed while loading plugins, it would refuse to start).
            #expect(try await setup.cli.waitUntilServing(host))
            let forkServers = Self.children(of: host.processIdentifier)
            #expect(!forkServers.isEmpty, "the host has no fork server")
            forkServers.forEach { kill($0, SIGKILL) }
            let log = await err.readAll()
            await host.exited()
            #expect(host.terminationStatus == 0, "\(log)")
            #expect(log.contains("the fork server of this topic died; a new generation restarts it"), "\(log)")
            #expect(log.contains("reloaded: generation 2"))
            _ = try await verify(setup)
        }

        @Test func oneOfTwoHostsSharingAStoreIsKilledRepeatedly() async throws {
            let setup = try await setUp()
            defer { setup.cli.cleanUp() }
            let (steady, _, steadyErr) = try setup.cli.start(["run", "--drain"])
            for round in 0..<Self.kills where steady.isRunning {
                let (victim, _, _) = try setup.cli.start(["run"])
                await killRound(round, victim)
            }
            let log = await steadyErr.readAll()
            await steady.exited()
            #expect(steady.terminationStatus == 0, "\(log)")
            let duplicates = try await verify(setup)
            #expect(duplicates <= Self.kills * Self.concurrency * Self.batchSize)
            print("chaos, two hosts: \(Self.jobs) jobs, 0 lost, \(duplicates) duplicate runs")
        }
    }
}
