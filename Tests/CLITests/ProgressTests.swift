import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension ProcessTests {
    /// A running job's progress (ABI 1.2 `progress`), as its plugin last reported it: in `status
    /// --json`, in `jobs show` and in the dashboard's API (whose counts may be up to 5 s old); gone
    /// once the job ends.
    @Suite struct ProgressTests {
        @Test func aRunningJobsProgressIsShownUntilItEnds() async throws {
            let cli = try CLI(config: MetricsTests.config(listen: "127.0.0.1:0").replacingOccurrences(of: "timeout: 300ms", with: "timeout: 30s"))
            defer { cli.cleanUp() }
            func enqueue(_ payload: String) async throws -> String {
                try await cli.run("enqueue", "q", "fault", payload).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let long = try await enqueue(#""progress:40:9000:resizing images""#)
            let short = try await enqueue(#""progress:70:300:short""#)
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let started = await CLI.waitForLog(log, containing: "GET /metrics)")
            let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
            func progress(_ status: [String: Any]) -> [String: [String: Any]] {
                let entries = (status["hosts"] as? [[String: Any]])?.first?["progress"] as? [[String: Any]] ?? []
                return Dictionary(entries.map { ("\($0["job"] ?? "")", $0) }, uniquingKeysWith: { first, _ in first })
            }

            var reported: [String: [String: Any]] = [:]
            #expect(
                try await cli.eventually {
                    reported = progress($0); return reported[long] != nil
                })
            #expect(reported[long]?["percent"] as? Int == 40 && reported[long]?["message"] as? String == "resizing images", "\(reported)")
            let show = try await cli.run("jobs", "show", long)
            #expect(show.stdout.contains("  progress    40% resizing images\n"), "\(show.stdout)")
            let status = try await cli.run("status")
            #expect(status.stdout.contains("  job \(long): 40% resizing images\n"), "\(status.stdout)")
            #expect(
                try await cli.eventually {
                    reported = progress($0); return reported.keys.sorted() == [long]
                }, "an ended job's progress is gone: \(short)")

            var overview = ""
            for _ in 0..<80 where !overview.contains("resizing images") {
                overview = try await MetricsTests.get("http://127.0.0.1:\(port)/api/overview", token: MetricsTests.token).body
                await pause(100_000)
            }
            #expect(overview.contains(#""message":"resizing images","percent":40"#), "\(overview.prefix(600))")
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
        }
    }
}
