import Foundation
import Testing

extension ProcessTests {
    /// `jobqueue plugin new NAME --language L`: a project that builds, passes `check` and runs, as
    /// written, in each language (Rust where a Rust compiler is found, and always in CI).
    @Suite struct PluginNewTests {
        static var languages: [String] {
            ["c", "swift"] + (RustPluginTests.rustc != nil || RustPluginTests.inCI ? ["rust"] : [])
        }

        @Test(arguments: languages)
        func aNewPluginBuildsPassesCheckAndRuns(language: String) async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let created = try await cli.run("plugin", "new", "Hello", "--language", language, "--dir", cli.folder)
            #expect(created.status == 0, "\(created.stderr)")
            let project = cli.folder + "/Hello"
            let build = language == "swift" ? "swift build" : "./build.sh"
            // rustup's rustc may be off the PATH.
            let rustFolder = RustPluginTests.rustc.map { ($0 as NSString).deletingLastPathComponent } ?? ""
            let built = try await cli.run(
                program: "/usr/bin/env", ["sh", "-c", "cd '\(project)' && PATH=\"$PATH:\(rustFolder)\" \(build) 2>&1"])
            #expect(built.status == 0, "\(built.stdout)")
            #expect(!built.stdout.contains("warning"), "it builds without warnings: \(built.stdout)")

            let config = project + "/config.yaml"
            let check = try await cli.run("check", "--config", config)
            #expect(check.status == 0 && check.stdout.contains("ok    hello:"), "\(check.stdout)\(check.stderr)")
            let payload = try String(contentsOfFile: project + "/payload.json", encoding: .utf8)
            #expect(try await cli.run("enqueue", "--config", config, "q", "hello", payload).status == 0)
            #expect(try await cli.run("enqueue", "--config", config, "q", "hello", #"{"name": ""}"#).status == 0)
            let run = try await cli.run("run", "--drain", "--config", config)
            #expect(run.status == 0 && run.stderr.contains("result=Hello, Ada!"), "\(run.stderr)")
            #expect(try await cli.run("dead", "list", "--config", config).stdout.contains("no name"), "an empty name is discarded")
        }

        @Test func aTakenFolderOrABadNameIsRefused() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            #expect(try await cli.run("plugin", "new", "Hello", "--language", "c", "--dir", cli.folder).status == 0)
            let again = try await cli.run("plugin", "new", "Hello", "--language", "c", "--dir", cli.folder)
            #expect(
                again.status == 1 && again.stderr == "Error: \(cli.folder)/Hello: already exists; choose another NAME or --dir\n", "\(again.stderr)")
            let bad = try await cli.run("plugin", "new", "my-plugin", "--language", "c", "--dir", cli.folder)
            #expect(bad.status == 64 && bad.stderr.contains("NAME must be a letter followed by letters and digits, got 'my-plugin'"), "\(bad.stderr)")
            let language = try await cli.run("plugin", "new", "Other", "--language", "cobol", "--dir", cli.folder)
            #expect(language.status == 64 && language.stderr.contains("cobol"), "\(language.stderr)")
        }
    }
}
