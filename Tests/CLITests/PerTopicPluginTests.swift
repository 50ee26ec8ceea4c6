import Foundation
import Testing

extension ProcessTests {
    /// Each topic's plugin runs in a fork server of its own: topics may share a plugin file, each
    /// with its own configuration, and a reload moves each topic on its own.
    @Suite struct PerTopicPluginTests {
        static let email = HostTests.plugin("EmailWorker")

        static func mail(_ subject: String) -> String {
            #"{"to": "ada@example.com", "subject": "\#(subject)", "body": "hello"}"#
        }

        /// The mails in `folder`'s outbox `box`, by subject line.
        static func outbox(_ cli: CLI, _ box: String) -> [String] {
            let folder = cli.folder + "/" + box
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return files.filter { $0.hasSuffix(".eml") }.compactMap { file in
                let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
                return text.split(separator: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) }
            }.sorted()
        }

        @Test func topicsSharingAPluginFileEachGetTheirOwnConfiguration() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            // The same file twice, the second time under another name (a symbolic link).
            try FileManager.default.createSymbolicLink(atPath: cli.folder + "/libalias.so", withDestinationPath: Self.email)
            for box in ["one", "two"] { try FileManager.default.createDirectory(atPath: cli.folder + "/" + box, withIntermediateDirectories: false) }
            try cli.write(
                "config.yaml",
                HostTests.config([
                    ("mail:one", Self.email, "config: { outbox: \(cli.folder)/one, from: one@example.com }"),
                    ("mail:two", cli.folder + "/libalias.so", "config: { outbox: \(cli.folder)/two, from: two@example.com }"),
                ]))
            let check = try await cli.run("check")
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
            #expect(check.stdout.contains("ok    mail:one") && check.stdout.contains("ok    mail:two"), "\(check.stdout)")
            for topic in ["mail:one", "mail:two"] {
                #expect(try await cli.run("enqueue", "q", topic, Self.mail(topic)).status == 0)
            }
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.outbox(cli, "one") == ["mail:one"])
            #expect(Self.outbox(cli, "two") == ["mail:two"], "each topic's jq_init got its own outbox; their settings never mix")
        }

        @Test func fourTopicsOnOneFileUnderLoadAndOneOfThemReloaded() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            // A copy of its own, so that the processes mapping it are this test's alone.
            let shared = cli.folder + "/libshared.so"
            try FileManager.default.copyItem(atPath: HostTests.plugin("FaultWorker"), toPath: shared)
            func config(first: String) -> String {
                HostTests.config(
                    (0..<4).map { ("t\($0)", shared, #"config: { "n": "\#($0 == 0 ? first : "\($0)")" }"#) },
                    consumer: "{ concurrency: 4, batch_size: 2, lease: 2s, poll: 50ms, grace: 2s }")
            }
            func enqueue(_ topics: Range<Int>, jobs: Int) async throws {
                let lines = (0..<jobs).flatMap { job in
                    topics.map { #"{"queue": "q\#(job % 3)", "topic": "t\#($0)", "payload": "configto:10:\#(cli.folder)/t\#($0).log"}"# }
                }
                try cli.write("jobs.jsonl", lines.joined(separator: "\n"))
                #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            }
            func lines(_ topic: Int) -> [String] {
                ((try? String(contentsOfFile: "\(cli.folder)/t\(topic).log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            }
            func idleServers() async -> Set<Int32> {
                var mapping: Set<Int32> = []
                for _ in 0..<300 {
                    mapping = Set(HungInitTests.processesMapping(shared))
                    if mapping.count == 4 { break }
                    await pause(10_000)
                }
                return mapping
            }
            func drained() async throws -> Bool {
                try await cli.eventually { status in
                    let totals = status["totals"] as? [String: Int] ?? [:]
                    return totals["ready"] == 0 && totals["leased"] == 0 && totals["running"] == 0
                }
            }
            try cli.write("config.yaml", config(first: "0"))
            let (host, _, err) = try cli.start(["run"])
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            let before = await idleServers()
            #expect(before.count == 4, "a fork server per topic, all four on one file")

            // Under load, t0's configuration changes.
            try await enqueue(0..<4, jobs: 40)
            for _ in 0..<500 where lines(0).count < 5 { await pause(10_000) }
            try cli.write("config.yaml", config(first: "0b"))
            #expect(try await cli.eventually { ($0["hosts"] as? [[String: Any]])?.first?["generation"] as? Int ?? 0 >= 2 })
            try await enqueue(0..<1, jobs: 5)
            #expect(try await drained())

            #expect(lines(0).count == 45 && lines(1).count == 40 && lines(2).count == 40 && lines(3).count == 40, "every job ran once")
            #expect(lines(0).suffix(5).allSatisfy { $0.contains("0b") }, "t0 runs with its new configuration: \(lines(0))")
            for topic in 1..<4 {
                #expect(Set(lines(topic)).count == 1 && lines(topic)[0].contains("\(topic)"), "t\(topic) sees its own configuration only")
            }
            let after = await idleServers()
            #expect(after.count == 4 && before.intersection(after).count == 3, "only t0's fork server was replaced")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            _ = err
        }

        @Test func aKilledForkServerIsRestartedEvenWhileTheConfigFileIsBroken() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let work = cli.folder + "/libwork.so"
            try FileManager.default.copyItem(atPath: HostTests.plugin("FaultWorker"), toPath: work)
            try cli.write("config.yaml", HostTests.config([("work", work, "")]))
            let (host, _, err) = try cli.start(["run"])
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            let server = HungInitTests.processesMapping(work)
            #expect(server.count == 1)

            // A config being edited (not valid yet), then the topic's fork server killed. (The
            // commands below read a valid copy of the config: same store.)
            try cli.write("client.yaml", HostTests.config([("work", work, "")]))
            try cli.write("config.yaml", "topics: [")
            #expect(
                try await cli.eventually("--config", "client.yaml") {
                    (($0["hosts"] as? [[String: Any]])?.first?["note"] as? String)?.contains("reload refused") == true
                })
            server.forEach { kill($0, SIGKILL) }
            #expect(try await cli.run("enqueue", "--config", "client.yaml", "q", "work", #""ok""#).status == 0)
            #expect(
                try await cli.eventually("--config", "client.yaml") { status in
                    (status["totals"] as? [String: Int]).map { $0.values.allSatisfy { $0 == 0 } } == true
                }, "the job ran: its topic's fork server was restarted from the configuration in effect")
            let restarted = HungInitTests.processesMapping(work)
            #expect(!restarted.isEmpty && Set(restarted).isDisjoint(with: server))
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            _ = err
        }

        /// A plugin that cannot start yet (its jq_init fails: a service it needs is not up) costs
        /// only its topic: the host serves the others, says why in `status`, and retries the topic
        /// until it starts, with no reload asked for.
        @Test func aTopicRefusedAtStartIsRetriedWhileTheOthersServe() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let fault = HostTests.plugin("FaultWorker")
            let marker = cli.folder + "/service-up"
            try cli.write("config.yaml", HostTests.config([("ready", fault, ""), ("needy", fault, #"config: { "init_needs": "\#(marker)" }"#)]))
            for topic in ["ready", "needy"] { #expect(try await cli.run("enqueue", "q", topic, #""ok""#).status == 0) }
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)
            defer { kill(host.processIdentifier, SIGKILL) }
            let reason = "topic needy is not served: jq_init failed: \(marker) is not there yet"
            #expect(
                try await cli.eventually { status in
                    ((status["hosts"] as? [[String: Any]])?.first?["note"] as? String)?.contains(reason) == true
                        && (status["totals"] as? [String: Int])?["ready"] == 1
                }, "the other topic serves; the refused one is named")
            // The first retry (after 0.5 s) fails too; then the service comes up.
            #expect(await CLI.waitForLog(log, containing: "still not served").contains("still not served, next try in 1s: \(reason)"))
            #expect(FileManager.default.createFile(atPath: marker, contents: nil))
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true }, "the retry served it")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            // A retry that fails is one warning saying when the next is, not a refused reload (nobody
            // asked for one); the retry that serves the topic is a reload.
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            #expect(!lines.contains { $0.contains("reload refused") }, "\(lines)")
            #expect(lines.contains { $0.contains("reloaded: generation") && $0.contains("serves needy, ready") }, "\(lines)")
        }

        @Test func aTopicWhosePluginFailsKeepsItsOldOneWhileTheOthersReload() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let work = cli.folder + "/libwork.so"
            try FileManager.default.copyItem(atPath: HostTests.plugin("FaultWorker"), toPath: work)
            for box in ["before", "after"] {
                try FileManager.default.createDirectory(atPath: cli.folder + "/" + box, withIntermediateDirectories: false)
            }
            func config(outbox: String) -> String {
                HostTests.config([("work", work, ""), ("mail", Self.email, "config: { outbox: \(cli.folder)/\(outbox) }")])
            }
            try cli.write("config.yaml", config(outbox: "before"))
            let (host, _, err) = try cli.start(["run"])
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            let workServer = HungInitTests.processesMapping(work)
            #expect(workServer.count == 1, "one fork server loads work's plugin")

            // Only mail's configuration changes: work's fork server serves on, untouched.
            try cli.write("config.yaml", config(outbox: "after"))
            #expect(try await cli.eventually { ($0["hosts"] as? [[String: Any]])?.first?["generation"] as? Int ?? 0 >= 2 })
            #expect(HungInitTests.processesMapping(work) == workServer, "a reload keeps the fork server of an unchanged topic")
            #expect(try await cli.run("enqueue", "q", "mail", Self.mail("second")).status == 0)
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 0 })

            // work's plugin replaced by a broken file, and mail's configuration changed back, in
            // one reload: mail moves on, work keeps its old plugin, and status says why.
            let staged = cli.folder + "/.libwork.so.new"
            try "not a shared library".write(toFile: staged, atomically: true, encoding: .utf8)
            #expect(rename(staged, work) == 0)
            try cli.write("config.yaml", config(outbox: "before"))
            var note = ""
            #expect(
                try await cli.eventually { status in
                    note = (status["hosts"] as? [[String: Any]])?.first?["note"] as? String ?? ""
                    return note.contains("topic work keeps its previous plugin")
                }, "\(note)")
            #expect(!note.contains("topic mail"), "\(note)")
            for (topic, payload) in [("work", #""ok""#), ("mail", Self.mail("third"))] {
                #expect(try await cli.run("enqueue", "q", topic, payload).status == 0)
            }
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 0 }, "both topics serve")
            #expect(Self.outbox(cli, "after") == ["second"])
            #expect(Self.outbox(cli, "before") == ["third"], "mail reloaded although work was refused")
            // (Once the child that ran work's job, which maps the plugin too, has exited.)
            var mapping: [Int32] = []
            for _ in 0..<300 where mapping != workServer {
                mapping = HungInitTests.processesMapping(work)
                await pause(10_000)
            }
            #expect(mapping == workServer, "work runs on its old plugin")
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
            _ = err
        }
    }
}
