import Foundation
import Testing

extension ProcessTests {
    /// `jobqueue plugin info PATH`: what a plugin file is, read from the file and from loading it
    /// in a throwaway process that never calls its jq_init.
    @Suite struct PluginInfoTests {
        @Test func aSwiftPluginsABIExportsAndLibraries() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let info = try await cli.run("plugin", "info", HostTests.plugin("EmailWorker"))
            #expect(info.status == 0, "\(info.stderr)")
            for line in [
                "abi      1.2 (this host speaks 1.2)", "exports  jq_abi_version, jq_perform, jq_init, jq_shutdown (absent)", "language Swift",
            ] {
                #expect(info.stdout.contains(line), "\(info.stdout)")
            }
            #expect(info.stdout.contains("libswiftCore.so => /"), "\(info.stdout)")

            let json = try await cli.run("plugin", "info", "--json", HostTests.plugin("NoopWorker"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["swift"] as? Bool == false && object["abi_version"] as? String == "1.2", "\(json.stdout)")
            #expect((object["dependencies"] as? [[String: Any]])?.contains { $0["name"] as? String == "libc.so.6" && $0["path"] != nil } == true)
            #expect(object["problems"] as? [String] == [])
        }

        @Test func itNeverRunsJqInit() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            // InitFailWorker's jq_init always fails: info does not call it.
            let info = try await cli.run("plugin", "info", HostTests.plugin("InitFailWorker"))
            #expect(info.status == 0 && info.stdout.contains("jq_init,"), "\(info.stdout)\(info.stderr)")
        }

        @Test(arguments: [
            ("BadAbiWorker", "ABI 99.0 is incompatible with this host's 1.2 (major versions differ)"),
            ("NoPerformWorker", "missing required export jq_perform"),
        ])
        func whatTheHostWouldRefuseIsAnError(plugin: String, problem: String) async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let path = HostTests.plugin(plugin)
            let info = try await cli.run("plugin", "info", path)
            #expect(info.status == 1)
            #expect(info.stdout.contains("problem  \(problem)"), "\(info.stdout)")
            #expect(info.stderr == "Error: \(path): \(problem)\n", "\(info.stderr)")
        }

        @Test func aMissingLibraryOrAFileThatIsNoLibraryIsNamed() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            // A plugin linked against a library that is then removed.
            try cli.write("gone.c", "int gone(void) { return 1; }\n")
            try cli.write(
                "needs.c",
                "#include <stdint.h>\nint gone(void);\nuint32_t jq_abi_version(void) { return 1u << 16; }\nint jq_perform(void) { return gone(); }\n")
            for arguments in [
                ["-shared", "-fPIC", "-o", "libgone.so", "gone.c"], ["-shared", "-fPIC", "-o", "libneeds.so", "needs.c", "-L.", "-lgone"],
            ] {
                let build = try await cli.run(program: "/usr/bin/env", ["sh", "-c", "cd '\(cli.folder)' && cc " + arguments.joined(separator: " ")])
                #expect(build.status == 0, "\(build.stderr)")
            }
            try FileManager.default.removeItem(atPath: cli.folder + "/libgone.so")
            let info = try await cli.run("plugin", "info", cli.folder + "/libneeds.so")
            #expect(info.status == 1)
            #expect(
                info.stdout.contains("libgone.so => ?") && info.stderr.contains("libgone.so: cannot open shared object file"),
                "\(info.stdout)\(info.stderr)")

            try cli.write("text.so", "not a library")
            let text = try await cli.run("plugin", "info", cli.folder + "/text.so")
            #expect(text.status == 1 && text.stderr == "Error: \(cli.folder)/text.so: not an ELF file\n", "\(text.stderr)")
        }
    }
}
