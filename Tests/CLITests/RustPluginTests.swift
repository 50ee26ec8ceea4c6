import Foundation
import Testing

extension ProcessTests {
    /// Plugins/RustGreeter, built with plain `rustc` (no cargo, no crates) against the C header,
    /// through the whole host. Runs where a Rust compiler is found, and always in CI
    /// (`scripts/install-deps.sh --tests` installs Debian's `rustc` when there is none).
    @Suite struct RustPluginTests {
        static let source = OutOfTreePluginTests.repository + "/Plugins/RustGreeter/greeter.rs"

        /// `rustc` on the PATH, in ~/.cargo/bin (rustup's), or nil.
        static let rustc: String? = {
            let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
            let home = ProcessInfo.processInfo.environment["HOME"].map { [$0 + "/.cargo/bin"] } ?? []
            return (path + home).map { $0 + "/rustc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }()

        static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

        /// Builds the greeter into `cli`'s folder; returns the library's path.
        static func build(in cli: CLI) async throws -> String {
            let rustc = try #require(Self.rustc, "no Rust compiler found (install Debian's rustc)")
            let library = cli.folder + "/libRustGreeter.so"
            let build = try await cli.run(
                program: rustc, ["--edition", "2021", "--crate-type", "cdylib", "-C", "opt-level=2", "-o", library, Self.source])
            #expect(build.status == 0, "\(build.stderr)")
            return library
        }

        @Test(.enabled(if: rustc != nil || inCI))
        func theRustGreeterRunsThroughTheHost() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let library = try await Self.build(in: cli)
            try cli.write(
                "config.yaml",
                HostTests.config([("greet", library, "config: { greeting: Hej }")]).replacingOccurrences(of: "level: info", with: "level: debug"))
            let check = try await cli.run("check")
            #expect(check.status == 0 && check.stdout.contains("ok    greet:"), "\(check.stdout)\(check.stderr)")
            for payload in [#""Ada""#, #""Grace""#, #""""#] {
                #expect(try await cli.run("enqueue", "q", "greet", payload).status == 0)
            }
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("result=Hej, Ada!") && run.stderr.contains("result=Hej, Grace!"), "\(run.stderr)")
            #expect(run.stderr.contains("greeted Ada"), "the plugin's own log line")
            let dead = try await cli.run("dead", "list")
            #expect(dead.stdout.contains("no name to greet"), "an empty name is discarded: \(dead.stdout)")
        }

        @Test(.enabled(if: rustc != nil || inCI))
        func aBadGreetingIsRefusedByJqInit() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let library = try await Self.build(in: cli)
            try cli.write("config.yaml", HostTests.config([("greet", library, "config: { greeting: 42 }")]))
            let check = try await cli.run("check")
            #expect(check.status == 1 && check.stdout.contains(#"greeting" must be a non-empty string"#), "\(check.stdout)")
        }
    }
}
