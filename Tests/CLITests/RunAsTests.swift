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

        /// A topic's `user:` wins over a different `children.user` when its plugin runs, not
        /// only in `check`: each plugin reports the uid and gid it runs with.
        @Test func aTopicsUserOverridesADifferentChildrenUserAtRunTime() async throws {
            let daemon = try #require(getpwnam("daemon"), "the daemon user")
            let daemonIDs = "\(daemon.pointee.pw_uid):\(daemon.pointee.pw_gid)"
            let fault = HostTests.plugin("FaultWorker")
            let cli = try CLI(
                config: HostTests.config([("confined", fault, ""), ("own", fault, "user: daemon")]).replacingOccurrences(
                    of: "level: info", with: "level: debug") + "children: { user: nobody }\n")
            defer { cli.cleanUp() }
            for topic in ["confined", "own"] { #expect(try await cli.run("enqueue", "q", topic, #""ids""#).status == 0) }
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true })
            kill(host.processIdentifier, SIGTERM)
            await host.exited()
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("result=\(Self.nobody) topic=confined"), "confined runs as children.user: \(text)")
            #expect(text.contains("result=\(daemonIDs) topic=own"), "own runs as its user: \(text)")
            #expect(!text.contains("run as root"), "\(text)")
        }

        /// The root warning outlives reloads: a reload that refuses a topic, then one that refuses
        /// the whole file, each log it again and keep it in the host's note beside the refusal.
        @Test func aRootHostsReloadKeepsTheWarningInItsNoteAndLogsItAgain() async throws {
            let fault = HostTests.plugin("FaultWorker")
            let cli = try CLI(config: HostTests.config([("exposed", fault, "")]))
            defer { cli.cleanUp() }
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let note = { (status: [String: Any]) in (status["hosts"] as? [[String: Any]])?.first?["note"] as? String }
            let warning = "plugins of exposed run as root: set children.user (or a topic's user:) to a user of their own"
            #expect(try await cli.eventually { note($0) == warning })

            // A topic refused (its plugin is not a shared library): the refusal, then the warning.
            try cli.write("broken.so", "not a shared library")
            try cli.write("config.yaml", HostTests.config([("exposed", fault, ""), ("broken", cli.folder + "/broken.so", "")]))
            let both = "plugins of exposed, broken run as root: set children.user (or a topic's user:) to a user of their own"
            #expect(
                try await cli.eventually {
                    note($0).map { $0.hasPrefix("reload refused for some topics: ") && $0.hasSuffix("; " + both) } == true
                })
            _ = await CLI.waitForLog(log, containing: "[JobQueueHost] \(both)")

            // The whole file refused: the configuration in effect still runs plugins as root. (`status`
            // reads a copy of the file in effect.)
            try cli.write("status.yaml", try String(contentsOfFile: cli.folder + "/config.yaml", encoding: .utf8))
            try cli.write("config.yaml", "topics: [")
            #expect(
                try await cli.eventually("--config", "status.yaml") {
                    note($0).map { $0.hasPrefix("reload refused: ") && $0.hasSuffix("; " + both) } == true
                })
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(lines.filter { $0.contains("warning jobqueue: [JobQueueHost] \(warning)") }.count == 1, "at start: \(lines)")
            let refusal = try #require(lines.firstIndex { $0.contains("reload refused; the previous plugins keep serving") }, "\(lines)")
            #expect(lines[refusal...].contains { $0.contains("warning jobqueue: [JobQueueHost] \(both)") }, "at the refused reload: \(lines)")
        }
    }
}
