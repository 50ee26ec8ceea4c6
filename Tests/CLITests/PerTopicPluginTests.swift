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
