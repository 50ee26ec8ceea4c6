import Foundation
import JobQueue
import Testing

extension ProcessTests {
    /// `jobqueue run` end to end: the real host, fork server and plugin `.so` files.
    @Suite(.serialized) struct HostTests {
        static func plugin(_ name: String) -> String {
            let folder = (CLI.binary as NSString).deletingLastPathComponent
            let path = "\(folder)/lib\(name).so"
            precondition(FileManager.default.fileExists(atPath: path), "\(path) is missing: run `swift build` first")
            return path
        }

        /// A host config serving `topics` (name → plugin path and extra YAML lines).
        static func config(
            _ topics: [(String, String, String)], consumer: String = "{ concurrency: 2, batch_size: 5, lease: 2s, poll: 50ms, grace: 2s }"
        ) -> String {
            var text = """
                store: { path: queue.db, sync: normal }
                consumer: \(consumer)
                defaults: { backoff: { base: 10ms, max: 50ms, jitter: 0 }, timeout: 2s }
                log: { level: info }
                topics:

                """
            for (name, plugin, extra) in topics {
                text += "  \(name):\n    plugin: \(plugin)\n"
                if !extra.isEmpty { text += "    \(extra)\n" }
            }
            return text
        }

        func totals(_ cli: CLI) async throws -> [String: Int] {
            try await cli.statusJSON()["totals"] as! [String: Int]
        }

        @Test func drainRunsEveryOutcomeThroughPluginsAndRoutesByTopic() async throws {
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID())").path
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let cli = try CLI(
                config: Self.config([
                    ("fault", Self.plugin("FaultWorker"), ""),
                    ("count", Self.plugin("WordCountWorker"), "config: { report_dir: \(reports) }"),
                ]))
            defer { cli.cleanUp(); try? FileManager.default.removeItem(atPath: reports) }
            try cli.write(
                "jobs.jsonl",
                """
                {"queue": "a", "topic": "fault", "payload": "ok"}
                {"queue": "a", "topic": "fault", "payload": "error:broken", "max_retries": 1}
                {"queue": "a", "topic": "fault", "payload": "discard:hopeless"}
                {"queue": "a", "topic": "fault", "payload": "segv", "max_retries": 0}
                {"queue": "b", "topic": "count", "payload": "one two three"}
                """)
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            await #expect(try totals(cli) == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 3, "cancelled": 0])
            let dead = try await cli.run("dead", "list", "--json").stdout
            #expect(dead.contains("broken"))
            #expect(dead.contains("hopeless"))
            #expect(dead.contains("crashed: SIGSEGV"))
            let written = try FileManager.default.contentsOfDirectory(atPath: reports)
            #expect(written == ["5.txt"])
        }

        @Test func aHostKilledMidBatchLosesNoJob() async throws {
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID())").path
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let cli = try CLI(
                config: Self.config(
                    [("count", Self.plugin("WordCountWorker"), "config: { report_dir: \(reports) }")],
                    consumer: "{ concurrency: 2, batch_size: 10, lease: 300ms, poll: 20ms, grace: 1s }"))
            defer { cli.cleanUp(); try? FileManager.default.removeItem(atPath: reports) }
            let count = 300
            try cli.write(
                "jobs.jsonl", (0..<count).map { #"{"queue": "q\#($0 % 3)", "topic": "count", "payload": "job \#($0)"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)

            for _ in 0..<3 {
                let (host, _, _) = try cli.start(["run"])
                await pause(UInt32.random(in: 150_000...400_000))
                kill(host.processIdentifier, SIGKILL)
                await host.exited()
            }
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            await #expect(try totals(cli) == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
            let written = Set(try FileManager.default.contentsOfDirectory(atPath: reports))
            #expect(written == Set((1...count).map { "\($0).txt" }))
        }

        @Test func twoHostsShareOneStoreFile() async throws {
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID())").path
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let cli = try CLI(config: Self.config([("count", Self.plugin("WordCountWorker"), "config: { report_dir: \(reports) }")]))
            defer { cli.cleanUp(); try? FileManager.default.removeItem(atPath: reports) }
            let count = 400
            try cli.write(
                "jobs.jsonl", (0..<count).map { #"{"queue": "q\#($0 % 7)", "topic": "count", "payload": "job \#($0)"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            let hosts = try (0..<2).map { _ in try cli.start(["run", "--drain"]) }
            for (host, _, err) in hosts {
                let log = await err.readAll()
                await host.exited()
                #expect(host.terminationStatus == 0, "\(log)")
            }
            await #expect(try totals(cli) == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: reports)).count == count)
        }

        /// A follow-up job for a topic this host does not serve takes the configured `defaults:`,
        /// not the library's built-in ones (priority 100, 3 retries).
        @Test func followUpsOfAnUnservedTopicTakeTheConfiguredDefaults() async throws {
            let cli = try CLI(
                config: Self.config([("fault", Self.plugin("FaultWorker"), "")])
                    .replacingOccurrences(of: "defaults: {", with: "defaults: { priority: 7, max_retries: 9,"))
            defer { cli.cleanUp() }
            #expect(try await cli.run("enqueue", "q", "fault", #""followup-plain:q:elsewhere""#).status == 0)
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            let store = try SQLiteJobStore(.init(path: cli.folder + "/queue.db"))
            let followUps = try await store.lease(
                queue: QueueKey(queueID: "q", topic: "elsewhere"), limit: 10, duration: .seconds(1), owner: "test", now: .now)
            #expect(followUps.map(\.priority) == [7])
            #expect(followUps.map(\.maxRetries) == [9])
            await store.close()
        }

        @Test func sighupForcesAReload() async throws {
            let cli = try CLI(config: Self.config([("fault", Self.plugin("FaultWorker"), "")]))
            defer { cli.cleanUp() }
            let logFile = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: logFile)
            #expect(try await cli.waitUntilServing(host))
            kill(host.processIdentifier, SIGHUP)
            let log = await CLI.waitForLog(logFile, containing: "reloaded: generation 2 serves fault")
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
            #expect(log.contains("reloaded: generation 2 serves fault"), "\(log)")
            #expect(host.terminationStatus == 0)
        }

        @Test func aReloadSaysWhichChangesWaitForARestart() async throws {
            let config = Self.config([("fault", Self.plugin("FaultWorker"), "")])
            let cli = try CLI(config: config)
            defer { cli.cleanUp() }
            let logFile = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: logFile)
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            try cli.write("config.yaml", config.replacingOccurrences(of: "log: { level: info }", with: "log: { level: debug }"))
            let expected = "changes to log: take effect at the next restart; the rest is reloaded"
            let log = await CLI.waitForLog(logFile, containing: expected)
            #expect(log.contains(expected), "\(log)")
        }

        @Test func sigtermStopsGracefullyAndReleasesWhatDidNotRun() async throws {
            let cli = try CLI(
                config: Self.config([("fault", Self.plugin("FaultWorker"), "")], consumer: "{ concurrency: 1, batch_size: 20, grace: 5s }"))
            defer { cli.cleanUp() }
            try cli.write("jobs.jsonl", (0..<20).map { _ in #"{"queue": "q", "topic": "fault", "payload": "sleep:50"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            let (host, _, err) = try cli.start(["run"])
            #expect(try await cli.waitUntilServing(host))
            kill(host.processIdentifier, SIGTERM)
            let log = await err.readAll()
            await host.exited()
            #expect(host.terminationStatus == 0, "\(log)")
            let totals = try await totals(cli)
            #expect(totals["running"] == 0)
            #expect(totals["leased"] == 0)
            #expect(totals["dead"] == 0)
            // The batch in flight finished within the grace period; what had not started is ready
            // again (jobs of 50 ms are leased one per batch, so some ran and the rest wait).
            let ready = try #require(totals["ready"])
            #expect(ready > 0 && ready < 20, "\(totals)")
            #expect(!log.contains("error"), "\(log)")
        }

        @Test func hotReloadSwapsAPluginUnderLoadWithoutFailingAJob() async throws {
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID())").path
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let cli = try CLI(config: "")
            defer { cli.cleanUp(); try? FileManager.default.removeItem(atPath: reports) }
            let installed = cli.folder + "/libwork.so"
            try FileManager.default.copyItem(atPath: Self.plugin("FaultWorker"), toPath: installed)
            try cli.write("config.yaml", Self.config([("work", installed, "config: { report_dir: \(reports) }")]))
            try cli.write("jobs.jsonl", (0..<200).map { _ in #"{"queue": "q", "topic": "work", "payload": "sleep:5"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)

            let (host, _, err) = try cli.start(["run", "--drain"])
            #expect(try await cli.waitUntilServing(host))
            // Install version 2 as installers do: write a new file, rename it over the old path.
            let staged = cli.folder + "/.libwork.so.new"
            try FileManager.default.copyItem(atPath: Self.plugin("WordCountWorker"), toPath: staged)
            let swapped = Date()
            #expect(rename(staged, installed) == 0)
            var firstReport: Date?
            while firstReport == nil && Date().timeIntervalSince(swapped) < 10 {
                if !(try FileManager.default.contentsOfDirectory(atPath: reports)).isEmpty { firstReport = Date() }
                await pause(5_000)
            }
            let log = await err.readAll()
            await host.exited()
            #expect(host.terminationStatus == 0, "\(log)")
            let latency = firstReport.map { $0.timeIntervalSince(swapped) }
            print("hot reload: first job on the new plugin \(latency.map { String(format: "%.0f ms", $0 * 1000) } ?? "never") after the rename")
            #expect(latency != nil)
            #expect(log.contains("reloaded: generation 2"))
            // No job was dropped or failed.
            await #expect(try totals(cli) == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
        }

        @Test func aConfigChangeAddsATopicAndABadPluginKeepsTheOldGeneration() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let installed = cli.folder + "/libwork.so"
            try FileManager.default.copyItem(atPath: Self.plugin("FaultWorker"), toPath: installed)
            try cli.write("config.yaml", Self.config([("work", installed, "")]))
            #expect(try await cli.run("enqueue", "q", "later", "\"ok\"").status == 0)
            let (host, _, err) = try cli.start(["run"])
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            await #expect(try cli.statusJSON()["unserved_topics"] as? [String] == ["later"])

            // Add a topic: its waiting job runs.
            try cli.write("config.yaml", Self.config([("work", installed, ""), ("later", Self.plugin("FaultWorker"), "")]))
            var served = false
            for _ in 0..<200 where !served {
                await pause(10_000)
                served = try await totals(cli)["ready"] == 0
            }
            #expect(served)

            // A broken plugin (not an ELF file) renamed over the installed one: refused, old one serves on.
            let staged = cli.folder + "/.libwork.so.new"
            try "not a shared library".write(toFile: staged, atomically: true, encoding: .utf8)
            #expect(rename(staged, installed) == 0)
            var note: String?
            // (A host running as root also notes that its plugins do: only the refusal matters here.)
            for _ in 0..<200 where note?.contains("reload refused") != true {
                await pause(10_000)
                note = await ((try cli.statusJSON()["hosts"] as? [[String: Any]])?.first?["note"] as? String)
            }
            #expect(note?.contains("reload refused") == true)
            #expect(try await cli.run("enqueue", "q", "work", "\"ok\"").status == 0)
            var done = false
            for _ in 0..<200 where !done {
                await pause(10_000)
                done = try await totals(cli)["ready"] == 0
            }
            #expect(done)

            // The broken plugin fixed, then a topic whose plugin is not installed yet: refused;
            // installing it starts the reload.
            try FileManager.default.copyItem(atPath: Self.plugin("FaultWorker"), toPath: staged)
            #expect(rename(staged, installed) == 0)
            for _ in 0..<200 where note?.contains("reload refused") == true {
                await pause(10_000)
                note = await ((try cli.statusJSON()["hosts"] as? [[String: Any]])?.first?["note"] as? String)
            }
            #expect(note?.contains("reload refused") != true, "\(note ?? "")")
            let third = cli.folder + "/libthird.so"
            try cli.write("config.yaml", Self.config([("work", installed, ""), ("later", Self.plugin("FaultWorker"), ""), ("third", third, "")]))
            #expect(try await cli.run("enqueue", "q", "third", "\"ok\"").status == 0)
            note = nil
            for _ in 0..<200 where note?.contains("libthird.so") != true {
                await pause(10_000)
                note = await ((try cli.statusJSON()["hosts"] as? [[String: Any]])?.first?["note"] as? String)
            }
            #expect(note?.contains("libthird.so") == true, "\(note ?? "no note")")
            try FileManager.default.copyItem(atPath: Self.plugin("FaultWorker"), toPath: third)
            done = false
            for _ in 0..<200 where !done {
                await pause(10_000)
                done = try await totals(cli)["ready"] == 0
            }
            #expect(done)
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
            _ = err
        }

        @Test func checkReportsEachPluginsProblem() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write("notelf.so", "text")
            try cli.write(
                "config.yaml",
                Self.config([
                    ("good", Self.plugin("FaultWorker"), ""),
                    ("missing", cli.folder + "/nope.so", ""),
                    ("notelf", cli.folder + "/notelf.so", ""),
                    ("noperform", Self.plugin("NoPerformWorker"), ""),
                    ("badabi", Self.plugin("BadAbiWorker"), ""),
                    ("initfail", Self.plugin("InitFailWorker"), ""),
                ]))
            let result = try await cli.run("check")
            #expect(result.status == 1)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("ok    good") }.count == 1)
            for topic in ["missing", "notelf", "noperform", "badabi", "initfail"] {
                #expect(lines.contains { $0.hasPrefix("FAIL  \(topic): ") }, "\(result.stdout)")
            }
        }
    }

    @Suite struct FileTrustTests {
        @Test func pluginsAndConfigsOthersCouldChangeAreRefused() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let shared = cli.folder + "/shared"
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            chmod(shared, 0o777)
            try FileManager.default.copyItem(atPath: HostTests.plugin("FaultWorker"), toPath: shared + "/libwork.so")
            try cli.write("config.yaml", HostTests.config([("work", shared + "/libwork.so", "")]))

            let refused = try await cli.run("check")
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("FAIL  work: \(shared)/libwork.so: refusing \(shared), writable by group or others"), "\(refused.stdout)")
            #expect(try await cli.run("run", "--drain").stderr.contains("writable by group or others"))
            #expect(try await cli.run("check", "--allow-insecure-files").status == 0)

            chmod(shared, 0o755)
            #expect(try await cli.run("check").status == 0)
            chmod(cli.folder + "/config.yaml", 0o666)
            #expect(try await cli.run("check").stderr.contains("config.yaml, writable by group or others"))
        }
    }

    @Suite struct ChildUserTests {
        @Test func anUnknownChildUserIsAClearError() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write(
                "config.yaml", HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]) + "children: { user: no-such-user-here }\n")
            let result = try await cli.run("run", "--drain")
            #expect(result.status == 1)
            #expect(result.stderr.contains("children.user: no such user 'no-such-user-here'"), "\(result.stderr)")
        }

        @Test(.enabled(if: geteuid() == 0, "dropping privileges needs root"))
        func aHostRunningAsRootRunsPluginsAsTheChildUser() async throws {
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID())").path
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            chmod(reports, 0o777)
            let cli = try CLI(config: "")
            defer { cli.cleanUp(); try? FileManager.default.removeItem(atPath: reports) }
            try cli.write(
                "config.yaml",
                HostTests.config([("count", HostTests.plugin("WordCountWorker"), "config: { report_dir: \(reports) }")])
                    + "children: { user: nobody }\n")
            #expect(try await cli.run("enqueue", "q", "count", "\"hello\"").status == 0)
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            let owner = try FileManager.default.attributesOfItem(atPath: reports + "/1.txt")[.ownerAccountName] as? String
            #expect(owner == "nobody")
        }
    }
}
