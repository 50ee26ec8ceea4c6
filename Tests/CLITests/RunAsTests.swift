import Foundation
import Testing

extension ProcessTests {
    /// Plugins never run as root by accident: a host running as root says which topics' plugins
    /// would (log, `check`, `status`), and a topic's `user:` overrides `children.user`.
    @Suite(.enabled(if: geteuid() == 0, "running plugins as another user needs root")) struct RunAsTests {
        static let nobody: String = {
            guard let entry = getpwnam("nobody") else { return "65534:65534" }
            return "\(entry.pointee.pw_uid):\(entry.pointee.pw_gid)"
        }()

        @Test func aTopicsUserOverridesChildrenUserAndRootIsWarnedAbout() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let fault = HostTests.plugin("FaultWorker")
            try cli.write(
                "config.yaml",
                HostTests.config([("confined", fault, "user: nobody"), ("exposed", fault, "")]).replacingOccurrences(
                    of: "level: info", with: "level: debug"))
            let check = try await cli.run("check")
            #expect(check.status == 0)
            let warning = "plugins of exposed run as root: set children.user (or a topic's user:) to a user of their own"
            #expect(check.stdout.contains("warn  \(warning)"), "\(check.stdout)")

            for topic in ["confined", "exposed"] { #expect(try await cli.run("enqueue", "q", topic, #""ids""#).status == 0) }
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.eventually { ($0["hosts"] as? [[String: Any]])?.first?["note"] as? String == warning })
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true })
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("warning jobqueue: [JobQueueHost] \(warning)"), "\(text)")
            #expect(text.contains("result=\(Self.nobody) topic=confined"), "confined runs as nobody: \(text)")
            #expect(text.contains("result=0:0 topic=exposed"), "exposed runs as root: \(text)")

            // With children.user set, the warning is gone; a topic may still ask for root.
            try cli.write(
                "config.yaml", HostTests.config([("confined", fault, ""), ("exposed", fault, "user: root")]) + "children: { user: nobody }\n")
            let again = try await cli.run("check")
            #expect(again.status == 0 && again.stdout.contains("warn  plugins of exposed run as root"), "\(again.stdout)")
            try cli.write("config.yaml", HostTests.config([("confined", fault, "")]) + "children: { user: nobody }\n")
            #expect(try await cli.run("check").stdout.contains("warn") == false)
            try cli.write("config.yaml", HostTests.config([("confined", fault, "user: no-such-user-here")]))
            let bad = try await cli.run("check")
            #expect(
                bad.status == 1 && bad.stderr.contains("config.yaml:6:3: topic 'confined': user: no such user 'no-such-user-here'"), "\(bad.stderr)")
        }
    }
}
