import Foundation
import Testing

extension ProcessTests {
    /// Topics' limits held by real hosts on each store: several hosts, each with several
    /// consumers, draining one store; the jobs record when they ran, and no instant sees more of
    /// them running than the limit allows. `status` shows what a limit holds back.
    @Suite(.serialized) struct LimitHostTests {
        /// The most jobs of `spans` running at one instant (an end and a start at the same instant
        /// do not overlap).
        static func mostAtOnce(_ spans: [(start: Int, end: Int)]) -> Int {
            let events = spans.flatMap { [($0.start, 1), ($0.end, -1)] }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            var running = 0
            var most = 0
            for (_, change) in events {
                running += change
                most = max(most, running)
            }
            return most
        }

        /// The spans written by FaultWorker's `span:MS:PATH` jobs, by queue.
        static func spans(_ path: String) throws -> [String: [(start: Int, end: Int)]] {
            var spans: [String: [(start: Int, end: Int)]] = [:]
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let fields = line.split(separator: " ")
                spans[String(fields[2]), default: []].append((Int(fields[0])!, Int(fields[1])!))
            }
            return spans
        }

        @Test(arguments: ControlTests.Store.available)
        func threeHostsHoldMaxRunningAndMaxRunningPerQueue(store: ControlTests.Store) async throws {
            // Two topics, one plugin: the second loads a copy (one file serves one topic, for now).
            let plugin = HostTests.plugin("FaultWorker")
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("libFaultWorker-\(UUID()).so").path
            try FileManager.default.copyItem(atPath: plugin, toPath: copy)
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let cli = try CLI(
                config: store.config(
                    [("single", plugin, "max_running: 1"), ("tenants", copy, "max_running_per_queue: 1")],
                    consumer: "{ concurrency: 3, batch_size: 4, lease: 5s, poll: 20ms, grace: 2s }"))
            defer { cli.cleanUp() }
            let single = cli.folder + "/single.spans"
            let tenants = cli.folder + "/tenants.spans"
            var lines = (0..<9).map { #"{"queue": "q\#($0 % 3)", "topic": "single", "payload": "span:20:\#(single)"}"# }
            lines += (0..<18).map { #"{"queue": "t\#($0 % 3)", "topic": "tenants", "payload": "span:20:\#(tenants)"}"# }
            try cli.write("jobs.jsonl", lines.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", cli.folder + "/jobs.jsonl").status == 0)

            let hosts = try (1...3).map { try cli.start(["run", "--drain"], errorLog: cli.folder + "/host\($0).log") }
            defer { for host in hosts { kill(host.processIdentifier, SIGKILL) } }
            for (index, host) in hosts.enumerated() {
                let log = (try? String(contentsOfFile: cli.folder + "/host\(index + 1).log", encoding: .utf8)) ?? ""
                #expect(await host.exited() == 0, "\(log)")
            }

            let singleSpans = try Self.spans(single).values.flatMap { $0 }
            #expect(singleSpans.count == 9, "every job ran once")
            #expect(Self.mostAtOnce(singleSpans) == 1, "max_running: 1 across three hosts of three consumers")
            let tenantSpans = try Self.spans(tenants)
            #expect(tenantSpans.values.map(\.count).reduce(0, +) == 18)
            for (queue, spans) in tenantSpans {
                #expect(Self.mostAtOnce(spans) == 1, "max_running_per_queue: 1 in queue \(queue)")
            }
        }

        @Test func aRateSpreadsStartsOverItsPeriod() async throws {
            let plugin = HostTests.plugin("FaultWorker")
            let cli = try CLI(
                config: ControlTests.Store.sqlite.config(
                    [("rated", plugin, "rate: 4/s")], consumer: "{ concurrency: 2, lease: 5s, poll: 20ms, grace: 2s }"))
            defer { cli.cleanUp() }
            let spans = cli.folder + "/rated.spans"
            try cli.write(
                "jobs.jsonl", (0..<9).map { _ in #"{"queue": "q", "topic": "rated", "payload": "span:1:\#(spans)"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", cli.folder + "/jobs.jsonl").status == 0)
            let host = try cli.start(["run", "--drain"], errorLog: cli.folder + "/host.log")
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(await host.exited() == 0)
            let starts = try Self.spans(spans).values.flatMap { $0 }.map(\.start).sorted()
            #expect(starts.count == 9)
            // At most four starts per second: any five are taken a second apart or more. The fifth
            // and the ninth jobs are dispatched by a warm host, so their own start times show it.
            #expect(starts[8] - starts[4] >= 800_000, "\(starts)")
        }

        @Test(arguments: ControlTests.Store.available)
        func statusShowsWhatALimitHoldsBack(store: ControlTests.Store) async throws {
            let cli = try CLI(
                config: store.config(
                    [("slow", HostTests.plugin("FaultWorker"), "max_running: 1\n    timeout: 1m")],
                    consumer: "{ concurrency: 2, lease: 5s, poll: 20ms, grace: 1s }"))
            defer { cli.cleanUp() }
            #expect(try await cli.run("check").stdout.contains("(limits: max_running 1)"), "check shows a topic's limits")
            try cli.write("jobs.jsonl", (0..<3).map { _ in #"{"queue": "q", "topic": "slow", "payload": "hang"}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", cli.folder + "/jobs.jsonl").status == 0)
            let host = try cli.start(["run"], errorLog: cli.folder + "/host.log")
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(
                try await cli.eventually { ($0["totals"] as? [String: Int])?["running"] == 1 },
                "\((try? String(contentsOfFile: cli.folder + "/host.log", encoding: .utf8)) ?? "")")

            let holds = try await cli.statusJSON()["holds"] as? [[String: Any]] ?? []
            #expect(holds.count == 1, "\(holds)")
            #expect(holds.first?["topic"] as? String == "slow" && holds.first?["limit"] as? String == "max_running")
            #expect(holds.first?["running"] as? Int == 1 && holds.first?["ready"] as? Int == 2, "\(holds)")
            let table = try await cli.run("status").stdout
            #expect(table.contains("held: topic slow at max_running 1 (1 running, 2 ready waiting)"), "\(table)")
            let row = table.split(separator: "\n").first { $0.hasPrefix("q ") }
            #expect(row?.hasSuffix("held") == true, "the queue's row is marked: \(table)")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }
    }
}
