import Foundation
import Testing

extension ProcessTests {
    /// A plugin whose `jq_init` never returns costs at most its own topic: `check`, `run` and a reload
    /// refuse it after `children.init_timeout`, naming the topic and the deadline; a later reload is
    /// not blocked; shutdown completes; and no fork server outlives its host, SIGKILL included.
    ///
    /// Each test loads its own copy of the fixture, so "a process still has it loaded" can be checked
    /// by scanning /proc for processes that map that copy.
    @Suite(.serialized) struct HungInitTests {
        /// A host config whose `hang` topic's plugin hangs in `jq_init`, plus `children.init_timeout`.
        static func config(_ topics: [(String, String, String)], initTimeout: String) -> String {
            HostTests.config(topics) + "children: { init_timeout: \(initTimeout) }\n"
        }

        /// A copy of FaultWorker in the test's folder, so that its mappings are this test's alone.
        static func hangingPlugin(in cli: CLI) throws -> String {
            let path = cli.folder + "/libhang.so"
            try FileManager.default.copyItem(atPath: HostTests.plugin("FaultWorker"), toPath: path)
            return path
        }

        static let hangs = #"config: { "init_hang": true }"#

        /// Processes that have `path` mapped (loaded).
        static func processesMapping(_ path: String) -> [Int32] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8) else { return false }
                return maps.contains(path)
            }
        }

        /// Waits until no process maps `path`; true if none does within a few seconds.
        static func nobodyMaps(_ path: String) async -> Bool {
            for _ in 0..<300 {
                if processesMapping(path).isEmpty { return true }
                await pause(10_000)
            }
            return false
        }

        @Test func checkRefusesAPluginWhoseInitHangs() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let hang = try Self.hangingPlugin(in: cli)
            try cli.write(
                "config.yaml", Self.config([("fault", HostTests.plugin("FaultWorker"), ""), ("hang", hang, Self.hangs)], initTimeout: "300ms"))
            let result = try await cli.run("check")
            #expect(result.status == 1)
            #expect(result.stdout.contains("FAIL  hang: jq_init did not return within 300ms (children.init_timeout)"), "\(result.stdout)")
            #expect(result.stdout.contains("ok    fault: "), "\(result.stdout)")
            #expect(await Self.nobodyMaps(hang))
        }

        @Test func runRefusesToStartWithAPluginWhoseInitHangs() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let hang = try Self.hangingPlugin(in: cli)
            try cli.write("config.yaml", Self.config([("hang", hang, Self.hangs)], initTimeout: "300ms"))
            let result = try await cli.run("run")
            #expect(result.status == 1)
            let lastLine = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(lastLine.contains("hang: jq_init did not return within 300ms"), "\(result.stderr)")
            #expect(await Self.nobodyMaps(hang))
        }

        @Test func aForkServerStuckInInitDiesWithItsKilledHost() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let hang = try Self.hangingPlugin(in: cli)
            try cli.write("config.yaml", Self.config([("hang", hang, Self.hangs)], initTimeout: "1h"))
            let (host, _, _) = try cli.start(["run"])
            var loading = false
            for _ in 0..<300 where !loading {
                await pause(10_000)
                loading = !Self.processesMapping(hang).isEmpty
            }
            #expect(loading, "the fork server never loaded the plugin")
            kill(host.processIdentifier, SIGKILL)
            await host.exited()
            #expect(await Self.nobodyMaps(hang), "a fork server outlived its SIGKILLed host")
        }

        @Test func aHungReloadIsRefusedAndDoesNotBlockTheNextOneOrTheShutdown() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let hang = try Self.hangingPlugin(in: cli)
            let fault = HostTests.plugin("FaultWorker")
            try cli.write("config.yaml", Self.config([("fault", fault, "")], initTimeout: "300ms"))
            let (host, _, err) = try cli.start(["run"])
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))

            // A reload whose new plugin hangs: refused after the deadline; the old generation serves.
            try cli.write("config.yaml", Self.config([("fault", fault, ""), ("hang", hang, Self.hangs)], initTimeout: "300ms"))
            var note: String?
            for _ in 0..<300 where note?.contains("jq_init did not return") != true {
                await pause(10_000)
                note = await ((try cli.statusJSON()["hosts"] as? [[String: Any]])?.first?["note"] as? String)
            }
            #expect(note?.contains("jq_init did not return within 300ms") == true, "\(note ?? "no note")")
            #expect(await Self.nobodyMaps(hang))

            // The next reload goes through.
            try cli.write("config.yaml", Self.config([("fault", fault, ""), ("more", HostTests.plugin("NoopWorker"), "")], initTimeout: "300ms"))
            var served = false
            for _ in 0..<300 where !served {
                await pause(10_000)
                let topics = await (try cli.statusJSON()["hosts"] as? [[String: Any]])?.first?["topics"] as? [String]
                served = topics == ["fault", "more"]
            }
            #expect(served)

            // A reload that hangs for an hour does not hold up SIGTERM.
            try cli.write("config.yaml", Self.config([("fault", fault, ""), ("hang", hang, Self.hangs)], initTimeout: "1h"))
            var loading = false
            for _ in 0..<300 where !loading {
                await pause(10_000)
                loading = !Self.processesMapping(hang).isEmpty
            }
            #expect(loading)
            let stopAsked = Date()
            kill(host.processIdentifier, SIGTERM)
            let log = await err.readAll()
            await host.exited()
            #expect(host.terminationStatus == 0, "\(log)")
            #expect(Date().timeIntervalSince(stopAsked) < 30, "shutdown waited for the hung reload")
            #expect(await Self.nobodyMaps(hang))
        }
    }
}
