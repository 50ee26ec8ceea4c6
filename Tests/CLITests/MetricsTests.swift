import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessTests {
    /// The host's `http:` listener: `/metrics` counts what the host ran, behind its token; a
    /// listener it cannot open, or one other machines could reach without a token, stops it.
    @Suite(.serialized) struct MetricsTests {
        static let token = "metrics-token-0123456789"

        static func config(listen: String, token: String? = MetricsTests.token) -> String {
            HostTests.config(
                [("fault", HostTests.plugin("FaultWorker"), "max_retries: 0\n    timeout: 300ms")],
                consumer: "{ concurrency: 2, batch_size: 5, lease: 2s, poll: 50ms, grace: 2s }")
                + "http:\n  listen: \(listen)\n" + (token.map { "  token: \($0)\n" } ?? "")
        }

        /// GET `url`; the status and the body.
        static func get(_ url: String, token: String?) async throws -> (status: Int, body: String) {
            var request = URLRequest(url: try #require(URL(string: url)))
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        /// The samples of `text` (the Prometheus text format) named `name`, by their labels.
        static func samples(_ name: String, in text: String) -> [String: Double] {
            var samples: [String: Double] = [:]
            for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
                let parts = line.split(separator: " ")
                let labels = parts[0].dropFirst(name.count)
                samples[String(labels)] = Double(parts[parts.count - 1])
            }
            return samples
        }

        @Test func metricsCountEachOutcomeBehindTheToken() async throws {
            let cli = try CLI(config: Self.config(listen: "127.0.0.1:0"))
            defer { cli.cleanUp() }
            #expect(try await cli.run("check").stdout.contains("ok    http 127.0.0.1:0: dashboard at /, /metrics, bearer token required\n"))
            let payloads = ["ok", "ok", "ok", "error:boom", "discard:no", "segv", "hang", "result:r"]
            for payload in payloads { try await cli.run("enqueue", "q", "fault", "\"\(payload)\"") }
            // A tenant of a topic nobody serves, ready for an hour: the lag gauges show it.
            let hourAgo = Date.now.addingTimeInterval(-3600).formatted(.iso8601)
            try await cli.run("enqueue", "waiting", "nobody", "{}", "--at", hourAgo)
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let started = await CLI.waitForLog(log, containing: "GET /metrics)")
            let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
            let url = "http://127.0.0.1:\(port)/metrics"
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 1 && ($0["totals"] as? [String: Int])?["leased"] == 0 })

            let metrics = try await Self.get(url, token: Self.token)
            #expect(metrics.status == 200)
            let runs = Self.samples("jobqueue_runs_total", in: metrics.body)
            #expect(
                runs == [
                    #"{topic="fault",outcome="ok"}"#: 4, #"{topic="fault",outcome="error"}"#: 1, #"{topic="fault",outcome="discard"}"#: 1,
                    #"{topic="fault",outcome="crashed"}"#: 1, #"{topic="fault",outcome="timed_out"}"#: 1,
                ], "\(metrics.body)")
            #expect(Self.samples("jobqueue_run_duration_seconds_count", in: metrics.body) == [#"{topic="fault"}"#: 8])
            #expect(Self.samples("jobqueue_wait_seconds_count", in: metrics.body) == [#"{topic="fault"}"#: 8])
            // Counts per topic and state, as status counts them: counted in the background, so a
            // scrape may show a count from before the last jobs ran; a newer one follows within 5 s.
            var jobs: [String: Double] = [:]
            let deadline = Date.now.addingTimeInterval(20)
            repeat {
                jobs = Self.samples("jobqueue_jobs", in: try await Self.get(url, token: Self.token).body)
                if jobs[#"{topic="fault",state="dead"}"#] == 4 { break }
                try await Task.sleep(for: .milliseconds(200))
            } while Date.now < deadline
            #expect(jobs[#"{topic="fault",state="dead"}"#] == 4 && jobs[#"{topic="fault",state="ready"}"#] == 0, "\(jobs)")
            #expect(jobs[#"{topic="nobody",state="ready"}"#] == 1, "\(jobs)")
            #expect(
                Self.samples("jobqueue_jobs_counted_at_timestamp_seconds", in: metrics.body).values.first.map {
                    abs($0 - Date.now.timeIntervalSince1970) < 60
                } == true)
            #expect(Self.samples("jobqueue_generation", in: metrics.body) == ["": 1])
            #expect((Self.samples("jobqueue_store_commit_seconds_count", in: metrics.body)[#"{store="sqlite"}"#] ?? 0) > 0, "\(metrics.body)")
            #expect((Self.samples("jobqueue_fork_server_resident_bytes", in: metrics.body)[#"{topic="fault"}"#] ?? 0) > 100_000, "\(metrics.body)")
            // Lag: nothing of fault waits; the unserved tenant has waited an hour (a pointer is 1 ms early).
            let lag = Self.samples("jobqueue_oldest_ready_seconds", in: metrics.body)
            #expect(lag[#"{topic="fault"}"#] == 0, "\(metrics.body)")
            #expect((3600...3700).contains(lag[#"{topic="nobody"}"#] ?? 0), "\(metrics.body)")
            // Read live by both: status and a scrape right after it agree (to the time between them).
            let statusLag = try await cli.statusJSON()["oldest_ready_seconds"] as? [String: Double]
            let scrapedLag = Self.samples("jobqueue_oldest_ready_seconds", in: try await Self.get(url, token: Self.token).body)
            #expect(statusLag?.keys.sorted() == ["nobody"])
            #expect(abs((statusLag?["nobody"] ?? 0) - (scrapedLag[#"{topic="nobody"}"#] ?? 0)) < 2, "status and /metrics agree")
            let tenants = Self.samples("jobqueue_tenant_oldest_ready_seconds", in: metrics.body)
            #expect(tenants.keys.sorted() == [#"{topic="nobody",queue="waiting"}"#], "\(metrics.body)")
            #expect(Self.samples("jobqueue_jobs_running", in: metrics.body) == ["": 0])
            // The same four dead letters `status` counts: error, discard, crash and timeout, no retries.
            #expect((try await cli.statusJSON()["totals"] as? [String: Int])?["dead"] == 4)

            // Reloads: counted by result (both shown from the start), and the generation moves on.
            #expect(Self.samples("jobqueue_reloads_total", in: metrics.body) == [#"{result="ok"}"#: 0, #"{result="refused"}"#: 0])
            kill(host.processIdentifier, SIGHUP)
            _ = await CLI.waitForLog(log, containing: "reloaded: generation 2")
            let reloaded = try await Self.get(url, token: Self.token).body
            #expect(Self.samples("jobqueue_generation", in: reloaded) == ["": 2], "\(reloaded)")
            #expect(Self.samples("jobqueue_reloads_total", in: reloaded) == [#"{result="ok"}"#: 1, #"{result="refused"}"#: 0], "\(reloaded)")
            let config = try String(contentsOfFile: cli.folder + "/config.yaml", encoding: .utf8)
            try cli.write("config.yaml", config + "bogus_section: 1\n")  // the watcher reloads (once or more)
            _ = await CLI.waitForLog(log, containing: "reload refused")
            let refused = try await Self.get(url, token: Self.token).body
            let afterRefusal = Self.samples("jobqueue_reloads_total", in: refused)
            #expect(afterRefusal[#"{result="ok"}"#] == 1 && afterRefusal[#"{result="refused"}"#, default: 0] >= 1, "\(refused)")
            #expect(Self.samples("jobqueue_generation", in: refused) == ["": 2], "a refused reload keeps the generation")
            try cli.write("config.yaml", config)

            #expect(try await Self.get(url, token: nil).status == 401)
            #expect(try await Self.get(url, token: "metrics-token-0123456780").status == 401)
            #expect(try await Self.get(url, token: Self.token + "x").status == 401)

            // A second host cannot listen on the same address: it says so and exits 1.
            try cli.write("second.yaml", Self.config(listen: "127.0.0.1:\(port)"))
            let second = try await cli.run("run", "--config", "second.yaml")
            #expect(second.status == 1)
            #expect(second.stderr.contains("Error: cannot listen on 127.0.0.1:\(port) (http.listen): "), "\(second.stderr)")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }

        /// On PostgreSQL: the store's commit times, the counts and the lag, from the same gauges.
        @Test(.enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"] != nil))
        func aPostgreSQLHostServesTheStoresFiguresToo() async throws {
            let url = try #require(ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"])
            let schema = "metrics_\(UInt32.random(in: 0...UInt32.max))"
            let cli = try CLI(
                config: Self.config(listen: "127.0.0.1:0").replacingOccurrences(
                    of: "store: { path: queue.db, sync: normal }", with: "store: { url: \"\(url)\", schema: \(schema) }"))
            defer { cli.cleanUp() }
            for payload in ["ok", "ok", "error:boom"] { try await cli.run("enqueue", "q", "fault", "\"\(payload)\"") }
            try await cli.run("enqueue", "waiting", "nobody", "{}", "--at", Date.now.addingTimeInterval(-60).formatted(.iso8601))
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let started = await CLI.waitForLog(log, containing: "GET /metrics)")
            let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["dead"] == 1 })
            var body = ""
            let deadline = Date.now.addingTimeInterval(20)
            repeat {
                body = try await Self.get("http://127.0.0.1:\(port)/metrics", token: Self.token).body
                if Self.samples("jobqueue_jobs", in: body)[#"{topic="fault",state="dead"}"#] == 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            } while Date.now < deadline
            #expect((Self.samples("jobqueue_store_commit_seconds_count", in: body)[#"{store="postgresql"}"#] ?? 0) > 0, "\(body)")
            #expect(Self.samples("jobqueue_jobs", in: body)[#"{topic="nobody",state="ready"}"#] == 1, "\(body)")
            #expect((Self.samples("jobqueue_oldest_ready_seconds", in: body)[#"{topic="nobody"}"#] ?? 0) >= 60, "\(body)")
            #expect(try await cli.statusJSON()["hosts"].flatMap { ($0 as? [[String: Any]])?.first?["generation"] as? Int } == 1)
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }

        @Test func aListenerOthersCouldReachWithoutATokenIsRefusedByCheckAndRun() async throws {
            let cli = try CLI(config: Self.config(listen: "0.0.0.0:0", token: nil))
            defer { cli.cleanUp() }
            for command in ["check", "run"] {
                let result = try await cli.run(command)
                #expect(result.status == 1)
                #expect(result.stderr.contains("http.listen: 0.0.0.0:0 can be reached from other machines: set http.token"), "\(result.stderr)")
            }
        }
    }
}
