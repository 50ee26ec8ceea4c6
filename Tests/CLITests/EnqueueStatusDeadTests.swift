import Foundation
import JobQueue
import Testing

extension ProcessTests {
    @Suite struct EnqueueStatusDeadTests {
        @Test func enqueuePrintsIdsAndStatusCountsThem() async throws {
            let cli = try CLI()
            defer { cli.cleanUp() }
            #expect(try await cli.run("enqueue", "tenant-1", "email:send", #"{"to":"a@example.com"}"#).stdout == "1\n")
            #expect(try await cli.run("enqueue", "tenant-1", "email:send", "--in", "5m").stdout == "2\n")
            #expect(try await cli.run("enqueue", "tenant-2", "report", "-", stdin: "[1,2,3]").stdout == "3\n")
            try cli.write(
                "jobs.jsonl",
                """
                {"queue": "t3", "topic": "report", "payload": {"n": 1}, "priority": 5}
                {"queue": "t3", "topic": "report", "at": "2030-01-01T00:00:00Z", "max_retries": 0}

                """)
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").stdout == "4\n5\n")

            let status = try await cli.run("status", "--json")
            #expect(status.status == 0)
            let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
            let totals = report["totals"] as! [String: Int]
            #expect(totals == ["ready": 3, "scheduled": 2, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
            #expect(report["unserved_topics"] as? [String] == ["email:send", "report"])
            let table = try await cli.run("status").stdout
            #expect(table.contains("tenant-1  email:send"))
            #expect(table.contains("unserved"))
        }

        /// Each bad input: one line on stderr naming the problem, non-zero exit, store unchanged.
        @Test(
            arguments: [
                (["enqueue", "q", "t", "{not json"], "payload is not valid JSON"),
                (["enqueue", "", "t"], "queue id is empty"),
                (["enqueue", String(repeating: "x", count: 256), "t"], "queue id is 256 bytes, over the limit of 255"),
                (["enqueue", "q", "t", "--in", "soon"], "--in must be a duration"),
                (["enqueue", "q", "t", "--at", "tomorrow"], "--at must be an ISO-8601 time"),
                (["enqueue", "q", "t", "--priority", "high"], "--priority"),
                (["enqueue", "q", "t", "--max-retries=-1"], "--max-retries must be 0 or more"),
                (["enqueue", "q", "t", "--frobnicate"], "--frobnicate"),
                (["enqueue", "q", "t", "\"" + String(repeating: "x", count: 2000) + "\""], "over the limit of 1024 bytes"),
                (["enqueue", "--file", "bad.jsonl"], "bad.jsonl:2: unknown field 'prio'"),
                (["enqueue", "--file", "missing.jsonl"], "missing.jsonl: cannot read file"),
                (["enqueue", "--file", "typed.jsonl"], "typed.jsonl:1: priority must be an integer"),
                (["status", "--config", "broken.yaml"], "broken.yaml:2:3: unknown key 'concurency' in consumer (did you mean 'concurrency'?)"),
                (["status", "--config", "nowhere.yaml"], "nowhere.yaml: no such file"),
                (["dead", "retry"], "give job ids, or --all"),
                (["dead", "purge", "abc"], "'abc' is not a job id"),
            ] as [([String], String)])
        func badInputIsRefusedAndChangesNothing(arguments: [String], message: String) async throws {
            let cli = try CLI(config: "store: { path: queue.db, sync: normal, max_payload: 1KiB }\n")
            defer { cli.cleanUp() }
            try cli.write("bad.jsonl", "{\"queue\": \"a\", \"topic\": \"b\"}\n{\"queue\": \"a\", \"topic\": \"b\", \"prio\": 1}\n")
            try cli.write("typed.jsonl", "{\"queue\": \"a\", \"topic\": \"b\", \"priority\": \"high\"}\n")
            try cli.write("broken.yaml", "consumer:\n  concurency: 3\n")
            try await cli.run("enqueue", "existing", "job", "{}")
            let before = try await cli.storedState()

            let result = try await cli.run(arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message))
            #expect(result.stdout.isEmpty)
            #expect(try await cli.storedState() == before)
        }

        @Test func theVersionIsPrintedReportedAndLogged() async throws {
            let cli = try CLI(config: HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]))
            defer { cli.cleanUp() }
            #expect(try await cli.run("--version").stdout == "\(JobQueueVersion.current)\n")
            let run = try await cli.run("run", "--drain")
            let first = try #require(run.stderr.split(separator: "\n").first, "\(run.stderr)")
            #expect(first.contains("jobqueue \(JobQueueVersion.current) starting with config.yaml (pid "), "the first line: \(run.stderr)")
            #expect(run.stderr.contains("jobqueue \(JobQueueVersion.current) serving fault from "), "\(run.stderr)")
            let status = try await cli.statusJSON()
            #expect(status["version"] as? String == JobQueueVersion.current)
        }

        /// JSON logs: RFC 3339 times with their offset; ids and counts as numbers, names as strings
        /// (a queue id "7" stays "7"). `dead list --json` gives ids as numbers too.
        @Test func jsonOutputsUseRFC3339TimesAndNumbers() async throws {
            let config = HostTests.config([("fault", HostTests.plugin("FaultWorker"), "max_retries: 0")])
                .replacingOccurrences(of: "log: { level: info }", with: "log: { level: info, format: json }")
            let cli = try CLI(config: config)
            defer { cli.cleanUp() }
            #expect(try await cli.run("enqueue", "7", "fault", "\"error:boom\"").status == 0)
            let run = try await cli.run("run", "--drain")
            let lines = run.stderr.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let failure = try #require(lines.first { $0["job_id"] != nil }, "\(run.stderr)")
            #expect(failure["job_id"] as? Int == 1)
            #expect(failure["attempt"] as? Int == 1)
            #expect(failure["queue_id"] as? String == "7")
            let time = try #require(failure["time"] as? String)
            #expect(try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(time) <= Date(), "\(time)")
            #expect(time.hasSuffix("Z"), "\(time)")
            let dead = try JSONSerialization.jsonObject(with: Data(try await cli.run("dead", "list", "--json").stdout.utf8)) as? [[String: Any]]
            #expect(dead?.first?["id"] as? Int == 1)
        }

        @Test func aTopicNobodyKnowsIsEnqueuedWithAWarning() async throws {
            let cli = try CLI(config: HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]))
            defer { cli.cleanUp() }
            let typo = try await cli.run("enqueue", "q", "faulty", "{}")
            #expect(typo.status == 0)
            #expect(typo.stdout == "1\n")
            #expect(
                typo.stderr
                    == "warning: no topic 'faulty' in config.yaml and no running host serves it: its jobs wait until one does (`jobqueue jobs cancel ID...` removes them)\n"
            )
            #expect(try await cli.run("enqueue", "q", "fault", "{}").stderr.isEmpty)

            // A running host that serves the topic (from a config of its own) is as good as the config.
            try cli.write("other.yaml", HostTests.config([("faulty", HostTests.plugin("FaultWorker"), "")]))
            let host = try cli.start(["run", "--config", "other.yaml"], errorLog: cli.folder + "/host.log")
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            let served = try await cli.run("enqueue", "q", "faulty", "{}")
            #expect(served.status == 0 && served.stderr.isEmpty, "\(served.stderr)")
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
        }

        @Test func negativeNumbersAreOptionValues() async throws {
            let cli = try CLI()
            defer { cli.cleanUp() }
            #expect(try await cli.run("enqueue", "q", "t", "{}", "--priority", "-5").status == 0)
            #expect(try await cli.run("enqueue", "q", "t", "{}", "--priority=-7").status == 0)
            let store = try SQLiteJobStore(.init(path: cli.folder + "/queue.db"))
            let jobs = try await store.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 10, duration: .seconds(1), owner: "test", now: .now)
            #expect(jobs.map(\.priority) == [-7, -5])
            await store.close()
            let refused = try await cli.run("enqueue", "q", "t", "{}", "--max-retries", "-1")
            #expect(refused.status == 1)
            #expect(refused.stderr == "Error: --max-retries must be 0 or more, got -1\n")
        }

        /// Unknown ids are an error each, after the known ones were acted on.
        @Test func retryAndPurgeNameEveryUnknownIDAndFail() async throws {
            let cli = try CLI(config: HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]))
            defer { cli.cleanUp() }
            #expect(try await cli.run("enqueue", "q", "fault", "\"discard:no\"").stdout == "1\n")
            #expect(try await cli.run("run", "--drain").status == 0)
            let retried = try await cli.run("dead", "retry", "1", "998", "999")
            #expect(retried.status == 1)
            #expect(retried.stdout == "retried 1 job\n")
            #expect(retried.stderr == "Error: no dead letter has id 998\nError: no dead letter has id 999\n")
            let purged = try await cli.run("dead", "purge", "998")
            #expect(purged.status == 1)
            #expect(purged.stderr == "Error: no dead letter has id 998\n")
            #expect(try await cli.run("dead", "purge", "--all").status == 0)
        }

        @Test func storeProblemsAreOneLineErrors() async throws {
            let cli = try CLI(config: "store: { path: notes.txt }\n")
            defer { cli.cleanUp() }
            try cli.write("notes.txt", String(repeating: "plain text, not a queue\n", count: 200))
            let result = try await cli.run("status")
            #expect(result.status == 1)
            #expect(result.stderr.contains("path: \(cli.folder)/notes.txt is not a JobQueue store"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }

        /// A PostgreSQL store that cannot be reached is named by its `url` (password masked), never
        /// as a `path`. Port 1 refuses at once: no server needed.
        @Test func anUnreachablePostgreSQLStoreIsNamedByItsURL() async throws {
            let cli = try CLI(config: "store: { url: \"postgres://nobody:hunter2@127.0.0.1:1/x?sslmode=disable\", timeout: 1s }\n")
            defer { cli.cleanUp() }
            for arguments in [["status"], ["enqueue", "q", "t", "{}"]] {
                let result = try await cli.run(arguments)
                #expect(result.status == 1)
                #expect(result.stderr.hasPrefix("Error: cannot open store url: postgres://nobody:***@127.0.0.1:1/x: "), "\(result.stderr)")
                #expect(!result.stderr.contains("path"), "\(result.stderr)")
                #expect(!result.stderr.contains("hunter2"))
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
        }
    }
}
