import Foundation
import Testing

extension ProcessTests {
    /// `jobqueue check` refuses what `jobqueue run` refuses, the store included, and says `ok` only
    /// when `run` would start; commands that only read never create a store.
    @Suite struct CheckEqualsRunTests {
        static let fault = HostTests.plugin("FaultWorker")

        @Test(arguments: [
            ("  nothing:\n    config: {}\n", "topic 'nothing' has no plugin"),
            ("children: { user: no-such-user-here }\n", "children.user: no such user 'no-such-user-here'"),
        ])
        func checkSaysNothingIsOkBeforeRefusing(extra: String, error: String) async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write("config.yaml", HostTests.config([("fault", Self.fault, "")]) + extra)
            let check = try await cli.run("check")
            #expect(check.status == 1)
            #expect(check.stdout.isEmpty, "\(check.stdout)")
            #expect(check.stderr.contains(error), "\(check.stderr)")
            #expect(try await cli.run("run", "--drain").stderr.contains(error))
        }

        @Test func checkReadsTheStoreAndNeverCreatesIt() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write(
                "config.yaml",
                HostTests.config([("fault", Self.fault, "")]).replacingOccurrences(of: "path: queue.db", with: "path: data/sub/queue.db"))
            let store = cli.folder + "/data/sub/queue.db"

            let fresh = try await cli.run("check")
            #expect(fresh.status == 0, "\(fresh.stderr)")
            #expect(fresh.stdout.contains("ok    store path: \(store): none yet; `run` creates it"), "\(fresh.stdout)")
            #expect(!FileManager.default.fileExists(atPath: cli.folder + "/data"))

            #expect(try await cli.run("enqueue", "q", "fault", "{}").status == 0)
            let existing = try await cli.run("check")
            #expect(existing.status == 0)
            #expect(existing.stdout.contains("ok    store path: \(store)\n"), "\(existing.stdout)")

            // A file that is not a store: `run` would refuse it, so `check` does.
            try FileManager.default.removeItem(atPath: cli.folder + "/data")
            try FileManager.default.createDirectory(atPath: cli.folder + "/data/sub", withIntermediateDirectories: true)
            try cli.write("data/sub/queue.db", String(repeating: "not a database ", count: 100))
            let foreign = try await cli.run("check")
            #expect(foreign.status == 1)
            #expect(foreign.stderr.contains("path: \(store) is not a JobQueue store"), "\(foreign.stderr)")
            #expect(try String(contentsOfFile: store, encoding: .utf8).hasPrefix("not a database"))

            // A folder nobody may write to: the store could not be created.
            try FileManager.default.removeItem(atPath: cli.folder + "/data")
            try FileManager.default.createDirectory(atPath: cli.folder + "/data", withIntermediateDirectories: true)
            chmod(cli.folder + "/data", 0o500)
            defer { chmod(cli.folder + "/data", 0o700) }
            if geteuid() != 0 {
                let locked = try await cli.run("check")
                #expect(locked.status == 1)
                #expect(locked.stderr.contains("cannot open store path: \(store): cannot create it in \(cli.folder)/data"), "\(locked.stderr)")
            }
        }

        @Test func writingCommandsCreateTheStoresFolderAndReadingOnesCreateNothing() async throws {
            let cli = try CLI(config: "store: { path: data/sub/queue.db }\n")
            defer { cli.cleanUp() }
            let store = cli.folder + "/data/sub/queue.db"
            for arguments in [["status"], ["status", "--json"], ["dead", "list"], ["dead", "retry", "--all"], ["dead", "purge", "1"]] {
                let result = try await cli.run(arguments)
                #expect(result.status == 1, "\(arguments)")
                #expect(result.stderr.contains("no store at path: \(store) (nothing was created"), "\(arguments): \(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: cli.folder + "/data"), "\(arguments)")
            }
            let enqueued = try await cli.run("enqueue", "q", "t", "{}")
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
            for folder in ["/data", "/data/sub"] {
                let mode = try FileManager.default.attributesOfItem(atPath: cli.folder + folder)[.posixPermissions] as? Int
                #expect(mode == 0o700, "\(folder)")
            }
            #expect(try await cli.run("status").status == 0)
        }

        @Test func aPluginBuiltAgainstANewerMinorABIIsLoadedWithANotice() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            try cli.write("config.yaml", HostTests.config([("newer", HostTests.plugin("NewerMinorWorker"), "")]))
            let notice = "built against ABI 1.99, newer than this host's 1.2: what 1.99 added is unavailable"
            let check = try await cli.run("check")
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("ok    newer: \(HostTests.plugin("NewerMinorWorker")) (\(notice))"), "\(check.stdout)")

            #expect(try await cli.run("enqueue", "q", "newer", "{}").status == 0)
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains(notice), "\(run.stderr)")
        }
    }
}
