import Foundation
import Testing

extension ProcessTests {
    /// The dashboard in a real browser: Tests/Browser/dashboard_test.py drives headless Chromium
    /// through Selenium against a running host, with and without a token (sign-in, overview, a topic
    /// held back by its limit,
    /// tenants, finding a dead letter by its error and retrying it, a job's runs, its payload only
    /// with `show_payloads` (set in the run with a token), hosts with their generation and refused
    /// reload, counts that follow a new job without the page being reloaded, a phone's screen, and
    /// a cross-site form post refused). `JOBQUEUE_TEST_BROWSER_PYTHON` names a
    /// Python with Selenium (scripts/test.sh makes one); `JOBQUEUE_SCREENSHOTS` keeps the
    /// screenshots in that folder (docs/screenshots holds the README's).
    @Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_TEST_BROWSER_PYTHON"] != nil))
    struct DashboardBrowserTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/dashboard_test.py").path

        @Test(arguments: [nil, "dashboard-token-0123456789"])
        func theDashboardWorksInABrowser(token: String?) async throws {
            let environment = ProcessInfo.processInfo.environment
            let cli = try CLI(config: HostTests.config([("fault", HostTests.plugin("FaultWorker"), "max_retries: 0")]))
            defer { cli.cleanUp() }
            // Dead letters, from a host that served `fault`; the dashboard's host serves `noop` only,
            // so a retried dead letter stays ready.
            for payload in ["error:boom on the first try", "error:boom again", "discard:unwanted", "segv"] {
                try await cli.run("enqueue", "orders", "fault", "\"\(payload)\"")
            }
            #expect(try await cli.run("run", "--drain").status == 0)
            for tenant in 1...12 { try await cli.run("enqueue", "tenant-\(tenant)", "report:build", "{}", "--in", "1h") }
            // A job for the page to cancel.
            let scheduled = try await cli.run("enqueue", "tenant-1", "report:build", #"{"cancel": "me"}"#, "--in", "1h").stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try await cli.run("enqueue", "waiting", "nobody", "{}", "--at", Date.now.addingTimeInterval(-600).formatted(.iso8601))
            for _ in 0..<20 { try await cli.run("enqueue", "orders", "noop", "{}") }
            // Two jobs that hang in a topic that may run one at a time: the second is held back.
            for _ in 0..<2 { try await cli.run("enqueue", "orders", "slow", "\"hang\"") }

            try cli.write(
                "dashboard.yaml",
                HostTests.config([
                    ("noop", HostTests.plugin("NoopWorker"), ""), ("slow", HostTests.plugin("FaultWorker"), "max_running: 1\n    timeout: 10m"),
                ])
                    + "schedules:\n  nightly: { topic: report:build, queue: ops, cron: '0 3 * * *', timezone: Europe/Berlin }\n"
                    + "http:\n  listen: 127.0.0.1:0\n" + (token.map { "  token: \($0)\n  show_payloads: true\n" } ?? ""))
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run", "--config", "dashboard.yaml"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let started = await CLI.waitForLog(log, containing: "listening on")
            let port = try #require(started.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.1, "\(started)")
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 2 && ($0["totals"] as? [String: Int])?["running"] == 1 })
            // A reload (generation 2), then a configuration the host refuses: the hosts view shows both.
            kill(host.processIdentifier, SIGHUP)
            #expect(await CLI.waitForLog(log, containing: "reloaded: generation 2").contains("reloaded: generation 2"))
            let configuration = try String(contentsOfFile: cli.folder + "/dashboard.yaml", encoding: .utf8)
            try cli.write("dashboard.yaml", configuration + "no_such_section: 1\n")
            kill(host.processIdentifier, SIGHUP)
            #expect(await CLI.waitForLog(log, containing: "reload refused").contains("no_such_section"))

            let screenshots = environment["JOBQUEUE_SCREENSHOTS"] ?? cli.folder + "/screenshots"
            let python = try #require(environment["JOBQUEUE_TEST_BROWSER_PYTHON"])
            let browser = try await cli.run(
                program: python,
                [Self.script, "--url", "http://127.0.0.1:\(port)", "--screenshots", screenshots, "--scheduled-job", scheduled]
                    + (token.map { ["--token", $0, "--payloads-shown"] } ?? []))
            #expect(browser.status == 0, "\(browser.stdout)\(browser.stderr)")
            #expect(browser.stdout.contains("dashboard: every check passed"), "\(browser.stdout)\(browser.stderr)")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }
    }
}
