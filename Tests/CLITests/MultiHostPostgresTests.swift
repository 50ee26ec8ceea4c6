import Foundation
import Testing

extension ProcessTests {
    /// Several hosts on one PostgreSQL database, as separate processes: no job leased twice at once,
    /// every job done, and a SIGKILLed host's jobs recovered by the others. Needs
    /// `JOBQUEUE_TEST_POSTGRES_URL`; `JOBQUEUE_MULTIHOST_JOBS` changes the job count (default 10,000).
    @Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil))
    struct MultiHostPostgresTests {
        static let jobs = Int(ProcessInfo.processInfo.environment["JOBQUEUE_MULTIHOST_JOBS"] ?? "") ?? 10_000
        static let hosts = 3, concurrency = 2, batchSize = 10

        let cli: CLI
        let runLog: String
        let schema = "multihost_" + UUID().uuidString.prefix(8).lowercased()

        init() throws {
            cli = try CLI(config: "")
            runLog = cli.folder + "/runs.log"
        }

        func writeConfig(lease: String) throws {
            let url = ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"]!
            let config = HostTests.config(
                [("chaos", HostTests.plugin("ChaosWorker"), "config: { log_file: \(runLog) }")],
                consumer: "{ concurrency: \(Self.concurrency), batch_size: \(Self.batchSize), lease: \(lease), poll: 50ms, grace: 1s }")
            try cli.write(
                "config.yaml",
                config
                    .replacingOccurrences(of: "store: { path: queue.db, sync: normal }", with: "store: { url: \"\(url)\", schema: \(schema) }")
                    .replacingOccurrences(of: "log: { level: info }", with: "log: { level: warning }"))
        }

        /// Enqueues jobs whose payload is how long each runs, in milliseconds, over 20 queues.
        func enqueue(_ count: Int, milliseconds: Int) async throws {
            try cli.write(
                "jobs.jsonl", (0..<count).map { #"{"queue": "q\#($0 % 20)", "topic": "chaos", "payload": \#(milliseconds)}"# }.joined(separator: "\n")
            )
            let enqueued = try await cli.run("enqueue", "--file", "jobs.jsonl")
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
        }

        /// Starts a host that drains the queue, its log going to a file (a pipe nobody reads could fill).
        func startHost(_ number: Int) throws -> Process {
            try cli.start(["run", "--drain"], errorLog: cli.folder + "/host\(number).log")
        }

        /// Every run recorded by the worker: job id → attempts, in the order they ran.
        func runs() throws -> [Int: [Int]] {
            let text = (try? String(contentsOfFile: runLog, encoding: .utf8)) ?? ""
            var runs: [Int: [Int]] = [:]
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ").compactMap { Int($0) }
                if fields.count == 2 { runs[fields[0], default: []].append(fields[1]) }
            }
            return runs
        }

        func expectDrained() async throws {
            let status = try await cli.statusJSON()
            #expect(status["totals"] as? [String: Int] == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
        }

        func hostLog(_ number: Int) -> String {
            (try? String(contentsOfFile: cli.folder + "/host\(number).log", encoding: .utf8)) ?? ""
        }

        @Test func threeHostsRunEveryJobOnceAndRecoverAKilledHostsJobs() async throws {
            defer { cli.cleanUp() }
            // Healthy hosts, leases far longer than any run: a job run twice would mean two live leases.
            try writeConfig(lease: "10s")
            let half = Self.jobs / 2
            try await enqueue(half, milliseconds: 0)
            let healthy = try (1...Self.hosts).map(startHost)
            for (index, host) in healthy.enumerated() {
                await host.exited()
                #expect(host.terminationStatus == 0, "\(hostLog(index + 1))")
            }
            let first = try runs()
            #expect(Set(first.keys) == Set(1...half), "missing \(Set(1...half).subtracting(first.keys).count) jobs")
            #expect(first.values.allSatisfy { $0 == [1] }, "jobs run more than once: \(first.filter { $0.value != [1] }.prefix(5))")
            try await expectDrained()

            // One host SIGKILLed mid-run: the others take over its jobs once their leases expire.
            try writeConfig(lease: "1s")
            try await enqueue(Self.jobs - half, milliseconds: 2)
            let hosts = try (1...Self.hosts).map(startHost)
            let victim = hosts[Self.hosts - 1]
            // Killed while it is running a batch (its fork server has a child), early on: most of the
            // work is still to do, so it cannot have drained and exited before the test looks.
            let killedMidBatch = try await eventuallyTrue {
                try runs().count >= half + 200
                    && ChaosTests.children(of: victim.processIdentifier).contains { !ChaosTests.children(of: $0).isEmpty }
            }
            #expect(killedMidBatch, "the victim never ran a batch: \(hostLog(Self.hosts))")
            kill(victim.processIdentifier, SIGKILL)
            await victim.exited()
            for (index, host) in hosts.dropLast().enumerated() {
                await host.exited()
                #expect(host.terminationStatus == 0, "\(hostLog(index + 1))")
            }
            let all = try runs()
            #expect(all.count == Self.jobs, "missing \(Self.jobs - all.count) jobs")
            let duplicates = all.values.map { $0.count - 1 }.reduce(0, +)
            // The killed host's leases expired and other hosts took those jobs, as a next attempt.
            let recovered = all.values.filter { $0.contains { $0 > 1 } }.count
            #expect(recovered > 0)
            // Only runs the killed host had started but not settled can repeat: per consumer, the batch
            // running and the previous one, whose settlement overlaps it.
            #expect(duplicates <= 2 * Self.concurrency * Self.batchSize)
            try await expectDrained()
            print(
                "multi-host PostgreSQL: \(Self.jobs) jobs on \(Self.hosts) hosts, 0 lost, 0 run twice while leased; after the kill \(recovered) recovered by the others, \(duplicates) of them run twice"
            )
        }

        /// Polls every 5 ms for up to a minute.
        private func eventuallyTrue(_ condition: () async throws -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if try await condition() { return true }
                await pause(5_000)
            }
            return false
        }
    }
}
