import Foundation
import Testing

extension ProcessTests {
    /// A Swift plugin built outside this package, as the SDK's tutorial builds it: its package
    /// depends on JobQueuePluginSDK alone, so resolving it fetches nothing, and the host runs it.
    @Suite(.serialized) struct OutOfTreePluginTests {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        static let tutorial = repository + "/JobQueuePluginSDK/Sources/JobQueueSDK/Documentation.docc/Tutorials/Resources/"

        @Test func theTutorialsPluginResolvesNothingElseAndRuns() async throws {
            let cli = try CLI(config: try String(contentsOfFile: Self.tutorial + "greeter-08-config.yaml", encoding: .utf8))
            defer { cli.cleanUp() }
            let manifest = try String(contentsOfFile: Self.tutorial + "greeter-03-package.swift", encoding: .utf8)
            #expect(manifest.contains(#".package(path: "../jobqueue/JobQueuePluginSDK")"#))
            try cli.write(
                "Package.swift", manifest.replacingOccurrences(of: "../jobqueue/JobQueuePluginSDK", with: Self.repository + "/JobQueuePluginSDK"))
            try FileManager.default.createDirectory(atPath: cli.folder + "/Sources/Greeter", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.tutorial + "greeter-07-worker.swift", toPath: cli.folder + "/Sources/Greeter/Greeter.swift")

            let build = try await cli.run(program: "/usr/bin/env", ["swift", "build"])
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            let checkouts = (try? FileManager.default.contentsOfDirectory(atPath: cli.folder + "/.build/checkouts")) ?? []
            #expect(checkouts.isEmpty, "the plugin's build fetched \(checkouts)")
            let resolved = (try? String(contentsOfFile: cli.folder + "/Package.resolved", encoding: .utf8)) ?? ""
            #expect(!resolved.contains("location"), "the plugin's build pinned packages: \(resolved)")

            #expect(try await cli.run("check").status == 0)
            #expect(try await cli.run("enqueue", "people", "greet", #"{"name": "Ada"}"#).status == 0)
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0 && run.stderr.contains("Hello, Ada!"), "\(run.stderr)")
        }
    }
}
