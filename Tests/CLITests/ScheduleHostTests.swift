import Foundation
import Testing

extension ProcessTests {
    /// Schedules ticked by real hosts, on each store: two hosts started together enqueue each
    /// tick once; `schedules` and `status` show the last and next tick.
    @Suite(.serialized) struct ScheduleHostTests {
        @Test(arguments: ControlTests.Store.available)
        func twoHostsTickAScheduleOncePerTick(store: ControlTests.Store) async throws {
            let cli = try CLI(
                config: store.config(
                    [("fault", HostTests.plugin("FaultWorker"), "")], consumer: "{ concurrency: 1, poll: 50ms }",
                    extra: "schedules:\n  heartbeat: { topic: beat, queue: ops, every: 1s, payload: { n: 1 } }\n"))
            defer { cli.cleanUp() }
            #expect(try await cli.run("check").status == 0)
            let started = Date()
            let hosts = try (1...2).map { try cli.start(["run"], errorLog: cli.folder + "/host\($0).log") }
            defer { for host in hosts { kill(host.processIdentifier, SIGKILL) } }
            for host in hosts { #expect(try await cli.waitUntilServing(host)) }
            // Nobody serves `beat`: its jobs stay ready, one per tick.
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] ?? 0 >= 2 })
            for host in hosts { kill(host.processIdentifier, SIGTERM) }
            for host in hosts { #expect(await host.exited() == 0) }
            let seconds = Int(Date().timeIntervalSince(started).rounded(.up))
            let ready = try await cli.statusJSON()["totals"] as? [String: Int] ?? [:]
            #expect((ready["ready"] ?? 0) <= seconds, "at most one job per tick: \(ready) in \(seconds) s")

            let listed = try await cli.run("schedules", "--json").stdout
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [[String: Any]], "\(listed)")
            #expect(rows.first?["name"] as? String == "heartbeat")
            #expect(rows.first?["trigger"] as? String == "every 1s")
            #expect(rows.first?["last_tick"] as? String != nil && rows.first?["next_tick"] as? String != nil, "\(rows)")
            let status = try await cli.statusJSON()["schedules"] as? [[String: Any]]
            #expect(status?.first?["name"] as? String == "heartbeat" && status?.first?["last_tick"] as? String != nil, "\(status ?? [])")
            let table = try await cli.run("status").stdout
            #expect(table.contains("schedule heartbeat: every 1s → beat (ops); last tick "), "\(table)")
        }

        /// A schedule added to the config of a running host is ticked after the reload.
        @Test func aReloadStartsTickingANewSchedule() async throws {
            let topics = [("fault", HostTests.plugin("FaultWorker"), "")]
            let cli = try CLI(config: ControlTests.Store.sqlite.config(topics, consumer: "{ concurrency: 1, poll: 50ms }"))
            defer { cli.cleanUp() }
            let host = try cli.start(["run"], errorLog: cli.folder + "/host.log")
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            try cli.write(
                "config.yaml",
                ControlTests.Store.sqlite.config(
                    topics, consumer: "{ concurrency: 1, poll: 50ms }", extra: "schedules:\n  beat: { topic: beat, queue: ops, every: 1s }\n"))
            kill(host.processIdentifier, SIGHUP)
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] ?? 0 >= 1 })
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }
    }
}
