import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessTests {
    /// The producers' API on a running host: `POST /api/jobs` stores one job or an array, all or
    /// none, with JSON errors naming the job and field; `Idempotency-Key` makes a retry store
    /// nothing new; `DELETE /api/jobs/ID` cancels; the OpenAPI document is the repository's.
    @Suite(.serialized) struct JobsAPITests {
        static let token = "api-token-0123456789abcdef"

        /// Sends a request; the status and the JSON answer.
        static func send(
            _ method: String, _ url: String, body: String? = nil, token: String? = JobsAPITests.token, headers: [String: String] = [:]
        ) async throws -> (status: Int, json: [String: Any]) {
            var request = URLRequest(url: try #require(URL(string: url)))
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }

        /// A running host with a token-guarded listener; its base URL.
        static func startHost(_ cli: CLI) async throws -> (Process, String) {
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            let started = await CLI.waitForLog(log, containing: "GET /metrics)")
            let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
            // The listener may answer before the plugins are loaded ("the host is starting").
            _ = await CLI.waitForLog(log, containing: " serving ")
            return (host, "http://127.0.0.1:\(port)")
        }

        static func config() -> String {
            HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")]).replacingOccurrences(
                of: "store: { path: queue.db, sync: normal }", with: "store: { path: queue.db, sync: normal, max_payload: 1KiB }")
                + "http:\n  listen: 127.0.0.1:0\n  token: \(token)\n"
        }

        @Test func enqueueLookUpAndCancelOverHTTP() async throws {
            let cli = try CLI(config: Self.config())
            defer { cli.cleanUp() }
            let (host, base) = try await Self.startHost(cli)
            defer { kill(host.processIdentifier, SIGKILL) }
            let jobs = base + "/api/jobs"

            // One job, which the host runs; then an array, stored together.
            let one = try await Self.send("POST", jobs, body: #"{"queue": "q", "topic": "fault", "payload": "ok"}"#)
            #expect(one.status == 201 && one.json["id"] as? Int == 1, "\(one)")
            let many = try await Self.send(
                "POST", jobs, body: #"[{"queue": "a", "topic": "other", "in": "1h"}, {"queue": "b", "topic": "other", "priority": 5}]"#)
            #expect(many.status == 201 && many.json["ids"] as? [Int] == [2, 3], "\(many)")
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 1 && ($0["totals"] as? [String: Int])?["leased"] == 0 })

            // Refusals store nothing and say why in JSON.
            let refusals: [(String, [String: String], Int, String)] = [
                (
                    #"[{"queue": "a", "topic": "other"}, {"queue": "a", "topic": "other", "priority": "high"}]"#, [:], 400,
                    "job 2: priority must be an integer"
                ),
                (#"{"queue": "a", "topic": "other", "prio": 1}"#, [:], 400, "unknown field 'prio'"),
                (#"{"topic": "other"}"#, [:], 400, "missing field 'queue'"),
                (#"{"queue": "a", "topic": "other", "at": "tomorrow"}"#, [:], 400, "at must be an ISO-8601 time"),
                (#"{"queue": "", "topic": "other"}"#, [:], 400, "queue id is empty"),
                (#"{"queue": "a", "topic": "other", "max_retries": -1}"#, [:], 400, "max retries must be 0 or more"),
                ("[]", [:], 400, "no jobs in the array"),
                ("{", [:], 400, "not valid JSON"),
                (
                    #"{"queue": "a", "topic": "other", "payload": "\#(String(repeating: "x", count: 2000))"}"#, [:], 413,
                    "over the limit of 1024 bytes"
                ),
                (#"{"queue": "a", "topic": "other"}"#, ["Origin": "http://evil.example"], 403, "cross-site request refused"),
                (#"{"queue": "a", "topic": "other"}"#, ["Content-Type": "text/plain"], 415, "send JSON"),
            ]
            for (body, headers, status, message) in refusals {
                let answer = try await Self.send("POST", jobs, body: body, headers: headers)
                #expect(answer.status == status && (answer.json["error"] as? String)?.contains(message) == true, "\(body): \(answer)")
            }
            // A validation error names the field (and the job of an array); priority and max_retries
            // must fit a 32-bit integer, PostgreSQL's `integer` column.
            let fields: [(String, String, Int?, String)] = [
                (
                    #"{"queue": "a", "topic": "other", "priority": 3000000000}"#, "priority", nil,
                    "priority must be between -2147483648 and 2147483647, got 3000000000"
                ),
                (
                    #"[{"queue": "a", "topic": "other"}, {"queue": "a", "topic": "other", "max_retries": 2147483648}]"#, "max_retries", 2,
                    "job 2: max retries is 2147483648, over the limit of 2147483647"
                ),
                (#"{"queue": "", "topic": "other"}"#, "queue", nil, "queue id is empty"),
                (#"{"queue": "a", "topic": "other", "unique_for": "1h"}"#, "unique_for", nil, "unique-for needs a unique key"),
            ]
            for (body, field, job, message) in fields {
                let answer = try await Self.send("POST", jobs, body: body)
                #expect(answer.status == 400 && answer.json["error"] as? String == message, "\(body): \(answer)")
                #expect(answer.json["field"] as? String == field && answer.json["job"] as? Int == job, "\(body): \(answer)")
            }
            #expect(try await Self.send("POST", jobs, body: #"{"queue": "a", "topic": "other"}"#, token: "wrong").status == 401)
            #expect((try await cli.statusJSON()["totals"] as? [String: Int])?["ready"] == 1, "nothing stored by a refused request")

            // A client retrying with the same Idempotency-Key gets the same job.
            let key = ["Idempotency-Key": "order-17"]
            let first = try await Self.send("POST", jobs, body: #"{"queue": "q", "topic": "other", "in": "1h"}"#, headers: key)
            let retried = try await Self.send("POST", jobs, body: #"{"queue": "q", "topic": "other", "in": "1h"}"#, headers: key)
            #expect(first.status == 201 && retried.status == 201 && first.json["id"] as? Int == 4 && retried.json["id"] as? Int == 4, "\(retried)")

            // Look up and cancel.
            let job = try await Self.send("GET", jobs + "/2")
            #expect(job.status == 200 && job.json["state"] as? String == "scheduled" && job.json["queue"] as? String == "a", "\(job)")
            let cancelled = try await Self.send("DELETE", jobs + "/2")
            #expect(cancelled.status == 200 && cancelled.json["state"] as? String == "cancelled", "\(cancelled)")
            #expect(try await Self.send("DELETE", jobs + "/2").status == 409)
            #expect(try await Self.send("DELETE", jobs + "/999").status == 404)
            #expect(try await Self.send("DELETE", jobs + "/2", headers: ["Origin": "http://evil.example"]).status == 403)

            // The document served is the repository's.
            var request = URLRequest(url: try #require(URL(string: base + "/api/openapi.json")))
            request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
            let (served, _) = try await URLSession.shared.data(for: request)
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../Sources/JobQueueHost/API/openapi.json")
            #expect(served == (try Data(contentsOf: file)))
            #expect(try await Self.send("GET", base + "/api/openapi.json", token: nil).status == 200, "the document needs no token")

            // `check` says when the listener's address is taken, as `run` would find it.
            let port = try #require(base.split(separator: ":").last)
            try cli.write("busy.yaml", Self.config().replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:\(port)"))
            let check = try await cli.run("check", "--config", "busy.yaml")
            #expect(check.stdout.contains("warn  http 127.0.0.1:\(port): address already in use: `run` cannot start while it is"), "\(check.stdout)")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }
    }
}

extension ProcessTests.JobsAPITests {
    /// schemathesis (`JOBQUEUE_TEST_SCHEMATHESIS` names its `st`; scripts/test.sh installs it)
    /// checks the running API against its OpenAPI document. Malformed requests first: each gets a
    /// 4xx with a JSON error as documented, never a 5xx, and nothing is stored. Then requests of
    /// every kind: no 5xx, every answer as documented.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_SCHEMATHESIS"] != nil))
    func theAPIKeepsItsDocumentUnderFuzzing() async throws {
        let st = try #require(ProcessInfo.processInfo.environment["JOBQUEUE_TEST_SCHEMATHESIS"])
        let cli = try CLI(config: Self.config())
        defer { cli.cleanUp() }
        let (host, base) = try await Self.startHost(cli)
        defer { kill(host.processIdentifier, SIGKILL) }
        let common = [
            "run", base + "/api/openapi.json", "--header", "Authorization: Bearer \(Self.token)", "--max-examples", "40", "--seed", "1",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection",
        ]
        let malformed = try await cli.run(program: st, common + ["--mode", "negative", "--phases", "coverage,fuzzing"])
        #expect(malformed.status == 0, "\(malformed.stdout.suffix(3000))")
        #expect((try await cli.statusJSON()["totals"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true, "a malformed request stored a job")
        let any = try await cli.run(program: st, common + ["--mode", "all"])
        #expect(any.status == 0, "\(any.stdout.suffix(3000))")
        kill(host.processIdentifier, SIGTERM)
        #expect(await host.exited() == 0)
    }
}
