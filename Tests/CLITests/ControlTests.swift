import Foundation
import Testing

extension ProcessTests {
    /// Steering a queue from the command line, against real hosts on each store: cancelling jobs
    /// (running ones too), pausing and resuming topics and queues, unique keys.
    @Suite(.serialized) struct ControlTests {
        /// Each store a host can run on: a SQLite file; a PostgreSQL schema when a server is configured.
        enum Store: String, CaseIterable, CustomTestStringConvertible {
            case sqlite, postgres
            var testDescription: String { rawValue }
            static let postgresURL = ProcessInfo.processInfo.environment["JOBQUEUE_TEST_POSTGRES_URL"]
            static var available: [Store] { postgresURL == nil ? [.sqlite] : allCases }

            /// `HostTests.config` on this store.
            func config(_ topics: [(String, String, String)], consumer: String, extra: String = "") -> String {
                var text = HostTests.config(topics, consumer: consumer) + extra
                if self == .postgres {
                    let schema = "control_" + UUID().uuidString.prefix(8).lowercased()
                    text = text.replacingOccurrences(
                        of: "store: { path: queue.db, sync: normal }", with: "store: { url: \"\(Self.postgresURL!)\", schema: \(schema) }")
                }
                return text
            }
        }

        static func totals(_ cli: CLI) async throws -> [String: Int] {
            try await cli.statusJSON()["totals"] as? [String: Int] ?? [:]
        }

        static func job(_ cli: CLI, _ id: String) async throws -> [String: Any] {
            let output = try await cli.run("jobs", "show", id, "--json").stdout
            return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        }

        /// A hung job is cancelled while it runs: its child is killed, its slot frees at once, the
        /// jobs after it in its batch run uncharged, and the job keeps its cancelled run.
        @Test(arguments: Store.available)
        func cancellingAHungJobKillsItsChildAndFreesItsSlot(store: Store) async throws {
            // One consumer; batches start at one job and double after quick ones (1, 2, then 4), so
            // the hung job and the two jobs after it usually share the third batch.
            let cli = try CLI(
                config: store.config(
                    [("fault", HostTests.plugin("FaultWorker"), "timeout: 10m")],
                    consumer: "{ concurrency: 1, batch_size: 4, lease: 2s, poll: 50ms, grace: 1s }",
                    extra: "retention: { completed: 1h }\n"))
            defer { cli.cleanUp() }
            let payloads = ["ok", "ok", "ok", "hang", "meta", "meta"]
            try cli.write("jobs.jsonl", payloads.map { #"{"queue": "q", "topic": "fault", "payload": "\#($0)"}"# }.joined(separator: "\n"))
            let ids = try await cli.run("enqueue", "--file", "jobs.jsonl").stdout.split(separator: "\n").map(String.init)
            #expect(ids.count == 6)
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            // The hung job runs once the three before it are done (usually with the two after it
            // waiting in its batch; on a loaded machine the batch may hold it alone).
            var running = false
            for _ in 0..<600 where !running {
                let before = try await Self.job(cli, ids[2])["state"] as? String
                let runningNow = try await Self.totals(cli)["running"]
                running = before == "completed" && runningNow == 1
                if !running { await pause(50_000) }
            }
            #expect(running, "the hung job never ran")

            let cancelled = try await cli.run("jobs", "cancel", ids[3])
            #expect(cancelled.status == 0, "\(cancelled.stderr)")
            #expect(cancelled.stdout == "cancelled 1 job\n")
            #expect(
                try await cli.eventually {
                    ($0["totals"] as? [String: Int]) == [
                        "ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 1,
                    ]
                })
            let hung = try await Self.job(cli, ids[3])
            #expect(hung["state"] as? String == "cancelled")
            #expect((hung["error"] as? String)?.hasPrefix("cancelled by ") == true, "\(hung)")
            #expect((hung["history"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["cancelled"], "\(hung)")
            for id in ids[4...] {
                let after = try await Self.job(cli, id)
                #expect(after["state"] as? String == "completed", "\(after)")
                #expect(after["attempts"] as? Int == 1, "released uncharged: \(after)")
            }
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("job cancelled: stopping its batch"), "\(text)")
            #expect(!text.contains("lease lost"), "\(text)")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)

            // Back from the cancelled jobs, like a dead letter.
            #expect(try await cli.run("dead", "list", "--kind", "cancelled").stdout.contains("cancelled by"))
            #expect(try await cli.run("dead", "retry", ids[3]).status == 0)
            #expect(try await Self.job(cli, ids[3])["state"] as? String == "ready")
        }

        /// Unknown and finished ids are named one per line, exit 1, and the others are cancelled.
        @Test(arguments: Store.available)
        func cancellingUnknownOrFinishedIdsSaysWhichAndCancelsTheRest(store: Store) async throws {
            let cli = try CLI(
                config: store.config(
                    [("fault", HostTests.plugin("FaultWorker"), "max_retries: 0")], consumer: "{ concurrency: 1, poll: 50ms }"))
            defer { cli.cleanUp() }
            let dead = try await cli.run("enqueue", "q", "fault", #""error:gone""#).stdout.trimmingCharacters(in: .newlines)
            #expect(try await cli.run("run", "--drain").status == 0)
            let waiting = try await cli.run("enqueue", "q", "fault", "{}", "--in", "1h").stdout.trimmingCharacters(in: .newlines)
            let other = try await cli.run("enqueue", "other", "fault", "{}").stdout.trimmingCharacters(in: .newlines)
            let result = try await cli.run("jobs", "cancel", waiting, dead, "987654")
            #expect(result.status == 1)
            #expect(result.stdout == "cancelled 1 job\n")
            #expect(
                result.stderr
                    == "Error: cannot cancel: job \(dead) is dead, not ready, scheduled or running\nError: cannot cancel: no job has id 987654\n")
            #expect(try await Self.job(cli, waiting)["state"] as? String == "cancelled")
            #expect(try await Self.job(cli, other)["state"] as? String == "ready")
            #expect(try await cli.run("jobs", "cancel", "--queue", "other", "--topic", "fault").stdout == "cancelled 1 job\n")
            #expect(try await Self.totals(cli)["cancelled"] == 2)
        }

        /// A pause holds new work on every host, survives restarts, and lets enqueues through.
        @Test(arguments: Store.available)
        func aPauseHoldsATopicOrQueueAcrossRestartsUntilResumed(store: Store) async throws {
            let cli = try CLI(
                config: store.config([("fault", HostTests.plugin("FaultWorker"), "")], consumer: "{ concurrency: 2, poll: 50ms }"))
            defer { cli.cleanUp() }
            // Paused before any host runs.
            #expect(try await cli.run("enqueue", "a", "fault", #""ok""#).status == 0)
            #expect(try await cli.run("pause", "fault").stdout == "topic 'fault' paused\n")
            #expect(try await cli.run("pause", "fault").stdout == "topic 'fault' was paused already\n")
            #expect(try await cli.run("enqueue", "b", "fault", #""ok""#).status == 0, "enqueues still go through")
            // A draining host finds nothing to do, and leaves the paused jobs alone.
            #expect(try await cli.run("run", "--drain").status == 0)
            #expect(try await Self.totals(cli)["ready"] == 2)
            let table = try await cli.run("status").stdout
            #expect(table.contains("paused: topic fault since"), "\(table)")
            #expect(try await cli.statusJSON()["pauses"] as? [[String: Any]] != nil)

            // A running host: one queue paused, the rest of the topic resumed, then all of it.
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            #expect(try await cli.run("pause", "fault", "--queue", "a").stdout == "queue 'a' of topic 'fault' paused\n")
            #expect(try await cli.run("resume", "fault").stdout == "topic 'fault' resumed\n")
            #expect(try await cli.eventually { ($0["queues"] as? [[String: Any]])?.first { $0["queue"] as? String == "b" } == nil })
            let queues = try await cli.statusJSON()["queues"] as? [[String: Any]] ?? []
            #expect(queues.map { $0["queue"] as? String } == ["a"] && queues.first?["paused"] as? Bool == true, "\(queues)")
            let resumed = try await cli.run("resume", "fault", "--queue", "a")
            #expect(resumed.stdout == "queue 'a' of topic 'fault' resumed\n")
            #expect(
                try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 0 && ($0["queues"] as? [[String: Any]])?.isEmpty == true })
            let again = try await cli.run("resume", "fault", "--queue", "a")
            #expect(again.status == 1 && again.stderr == "Error: queue 'a' of topic 'fault' is not paused\n")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }

        /// A unique key from the command line, a JSON Lines file, many processes at once, and a
        /// plugin's follow-ups: one live job per key, and every caller gets its id.
        @Test(arguments: Store.available)
        func uniqueKeysStoreOneLiveJobWhoeverEnqueues(store: Store) async throws {
            let cli = try CLI(
                config: store.config([("fault", HostTests.plugin("FaultWorker"), "")], consumer: "{ concurrency: 2, poll: 50ms }"))
            defer { cli.cleanUp() }
            let first = try await cli.run("enqueue", "q", "report", "{}", "--unique-key", "daily")
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try await cli.run("enqueue", "q", "report", #"{"other": 1}"#, "--unique-key", "daily").stdout == first.stdout)
            try cli.write(
                "jobs.jsonl",
                """
                {"queue": "q", "topic": "report", "unique_key": "daily"}
                {"queue": "q", "topic": "report", "unique_key": "weekly", "unique_for": "1h"}
                {"queue": "q", "topic": "report", "unique_key": "weekly"}
                """)
            let lines = try await cli.run("enqueue", "--file", "jobs.jsonl").stdout.split(separator: "\n")
            #expect(lines.count == 3 && lines[0] + "\n" == first.stdout && lines[1] == lines[2], "\(lines)")
            let bad = try await cli.run("enqueue", "q", "report", "{}", "--unique-for", "1h")
            #expect(bad.status == 1 && bad.stderr == "Error: --unique-for needs --unique-key\n", "\(bad.stderr)")

            // Fifty processes at once, one key.
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await cli.run("enqueue", "q", "race", "{}", "--unique-key", "once").stdout }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(results).count == 1 && results[0].hasSuffix("\n"), "\(results)")
            let race = try await cli.statusJSON()["queues"] as? [[String: Any]] ?? []
            #expect(race.first { $0["topic"] as? String == "race" }?["ready"] as? Int == 1, "\(race)")

            // Follow-ups with a unique key (ABI 1.1): two jobs ask for the same one; one is stored.
            for _ in 0..<2 { try await cli.run("enqueue", "q", "fault", #""followup-unique:q:later""#) }
            #expect(try await cli.run("run", "--drain").status == 0)
            let later = try await cli.statusJSON()["queues"] as? [[String: Any]] ?? []
            #expect(later.first { $0["topic"] as? String == "later" }?["ready"] as? Int == 1, "\(later)")
        }
    }
}
