import Foundation
import Testing

extension ProcessTests {
    /// `jobqueue jobs list` and `jobs show`: what happened to each job, run by run, after a real
    /// host ran it through its plugin (crashes and timeouts included).
    @Suite(.serialized) struct JobsCommandTests {
        static let config =
            HostTests.config([("fault", HostTests.plugin("FaultWorker"), "max_retries: 1\n    timeout: 1s")])
            + "retention: { completed: 1h }\n"

        @Test func everyRunOfEveryJobIsShownAfterTheHostRanThem() async throws {
            let cli = try CLI(config: Self.config)
            defer { cli.cleanUp() }
            for payload in ["ok", "error:boom", "segv", "hang", "discard:no"] {
                try await cli.run("enqueue", "q", "fault", "\"\(payload)\"")
            }
            let drained = try await cli.run("run", "--drain")
            #expect(drained.status == 0, "\(drained.stderr)")
            try await cli.run("enqueue", "later", "fault", #""ok""#, "--in", "1h")

            let list = try await cli.run("jobs", "list")
            // Each line, its columns single-spaced, begins with ID QUEUE TOPIC STATE ATTEMPTS.
            let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            let expected = [
                "ID QUEUE TOPIC STATE ATTEMPTS", "6 later fault scheduled 0", "5 q fault dead (discarded) 1", "4 q fault dead (failed) 2",
                "3 q fault dead (failed) 2", "2 q fault dead (failed) 2", "1 q fault completed 1",
            ]
            #expect(lines.count == expected.count && zip(lines, expected).allSatisfy { $0.hasPrefix($1) }, "\(list.stdout)")

            func show(_ id: Int) async throws -> [String: Any] {
                let shown = try await cli.run("jobs", "show", "\(id)", "--json")
                return try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
            }
            func runs(_ job: [String: Any]) -> [String] {
                (job["history"] as? [[String: Any]] ?? []).map { "\($0["attempt"]!) \($0["outcome"]!) \($0["error"] ?? "-")" }
            }
            #expect(runs(try await show(1)) == ["1 ok -"])
            #expect(runs(try await show(2)) == ["1 error boom", "2 error boom"])
            #expect(runs(try await show(3)) == ["1 crashed crashed: SIGSEGV", "2 crashed crashed: SIGSEGV"])
            #expect(runs(try await show(4)) == ["1 timed_out timed out after 1s", "2 timed_out timed out after 1s"])
            #expect(runs(try await show(6)).isEmpty)
            let dead = try await show(5)
            #expect(
                dead["state"] as? String == "dead" && dead["dead_kind"] as? String == "discarded" && dead["payload"] as? String == #""discard:no""#)

            let text = try await cli.run("jobs", "show", "3").stdout
            #expect(text.contains("state       dead (failed)\n"), "\(text)")
            #expect(text.contains("attempts    2 of 2\n"), "\(text)")
            #expect(text.contains(" crashed  "), "\(text)")

            #expect(try await cli.run("jobs", "list", "--state", "completed", "--json").stdout.contains(#""id" : 1,"#))
            #expect(try await cli.run("jobs", "list", "--state", "ready").stdout == "no jobs\n")
            let unknown = try await cli.run("jobs", "show", "99")
            #expect(unknown.status == 1)
            #expect(unknown.stderr == "Error: no job has id 99 (completed jobs are kept only with retention.completed)\n")
            let bad = try await cli.run("jobs", "list", "--state", "finished")
            #expect(bad.status == 64 && bad.stderr.contains("finished"), "\(bad.stderr)")
        }
    }
}
