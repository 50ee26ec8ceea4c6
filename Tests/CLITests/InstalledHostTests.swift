import Foundation
import Testing

/// The prefix `scripts/test.sh` installed into, if any.
private let installPrefix = ProcessInfo.processInfo.environment["JOBQUEUE_TEST_INSTALL_PREFIX"]

extension ProcessTests {
    /// What `scripts/install.sh` installs runs without Swift: `scripts/test.sh` installs into a
    /// temporary prefix and names it in `JOBQUEUE_TEST_INSTALL_PREFIX`; these tests hide the Swift
    /// toolchain (a private mount namespace with an empty folder over it) and run that prefix.
    @Suite(.serialized, .enabled(if: installPrefix != nil, "set JOBQUEUE_TEST_INSTALL_PREFIX (scripts/test.sh does)"))
    struct InstalledHostTests {
        /// The toolchain's runtime folder, where the development builds find libswiftCore.
        static let toolchainRuntime: String = {
            let ldd = Process()
            ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
            ldd.arguments = [(CLI.binary as NSString).deletingLastPathComponent + "/jobqueue-forkserver"]
            let out = Pipe()
            ldd.standardOutput = out
            try? ldd.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            ldd.waitUntilExit()
            // "\tlibswiftCore.so => /opt/swift/usr/lib/swift/linux/libswiftCore.so (0x…)"
            let line = text.split(separator: "\n").first { $0.contains("libswiftCore.so =>") } ?? ""
            let path = line.split(separator: " ").first { $0.hasPrefix("/") } ?? ""
            return (String(path) as NSString).deletingLastPathComponent
        }()

        /// Whether this machine lets a test hide a folder (a mount namespace needs CAP_SYS_ADMIN).
        static let canHideToolchain: Bool = {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
            probe.arguments = ["--mount", "--propagation", "private", "mount", "-t", "tmpfs", "none", "/mnt"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { return false }
            probe.waitUntilExit()
            return probe.terminationStatus == 0
        }()

        /// Runs `arguments` with the toolchain's runtime folder hidden where the machine allows it
        /// (else in plain sight: the other checks still hold).
        func withoutToolchain(_ cli: CLI, _ arguments: [String]) async throws -> CLI.Result {
            guard Self.canHideToolchain else { return try await cli.run(program: arguments[0], Array(arguments.dropFirst())) }
            return try await cli.run(
                program: "/usr/bin/unshare",
                ["--mount", "--propagation", "private", "sh", "-c", #"mount -t tmpfs none "$0" && exec "$@""#, Self.toolchainRuntime]
                    + arguments)
        }

        @Test func theInstalledHostRunsCAndSwiftPluginsWithoutTheToolchain() async throws {
            let prefix = try #require(installPrefix)
            let jobqueue = prefix + "/bin/jobqueue"
            let plugins = prefix + "/lib/jobqueue/plugins"
            let cli = try CLI(
                config: """
                    store: { path: queue.db }
                    topics:
                      email:send:
                        plugin: \(plugins)/libEmailWorker.so
                        config: { outbox: outbox, from: jobs@example.com }
                      text:wordcount:
                        plugin: \(plugins)/libWordCountWorker.so
                        config: { report_dir: reports }
                    """)
            defer { cli.cleanUp() }
            try FileManager.default.createDirectory(atPath: cli.folder + "/outbox", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: cli.folder + "/reports", withIntermediateDirectories: true)
            try cli.write("words.txt", "one two three\n")
            try cli.write(
                "jobs.jsonl",
                """
                {"queue": "q", "topic": "email:send", "payload": {"to": "ada@example.com", "subject": "Hi", "body": "Hello"}}
                {"queue": "q", "topic": "text:wordcount", "payload": {"file": "words.txt"}}
                """)

            let swiftVersion = try String(contentsOfFile: prefix + "/libexec/jobqueue/swift-runtime/SWIFT_VERSION", encoding: .utf8)
            #expect(swiftVersion.contains("Swift version "), "\(swiftVersion)")
            let linked = try await cli.run(program: "/usr/bin/ldd", [jobqueue])
            #expect(linked.status == 0 && !linked.stdout.contains("libswift"), "the host links Swift dynamically: \(linked.stdout)")
            if Self.canHideToolchain {
                let hidden = try await withoutToolchain(cli, ["/bin/ls", "-A", Self.toolchainRuntime])
                #expect(hidden.status == 0 && hidden.stdout.isEmpty, "the toolchain's runtime is not hidden: \(hidden.stderr)")
            }
            for command in [["check"], ["enqueue", "--file", "jobs.jsonl"], ["run", "--drain"]] {
                let result = try await withoutToolchain(cli, [jobqueue] + command)
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            let status = try await withoutToolchain(cli, [jobqueue, "status", "--json"])
            let totals = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])["totals"]
            #expect(totals as? [String: Int] == ["ready": 0, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0], "\(status)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder + "/outbox").count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: cli.folder + "/reports").count == 1)

            // `plugin new` finds the installed SDK (the C header, the Rust declarations, the Swift package).
            for language in ["c", "rust", "swift"] {
                let created = try await cli.run(program: jobqueue, ["plugin", "new", "New\(language)", "--language", language, "--dir", cli.folder])
                #expect(created.status == 0, "\(created.stderr)")
            }
            let package = try String(contentsOfFile: cli.folder + "/Newswift/Package.swift", encoding: .utf8)
            #expect(package.contains(#".package(path: "\#(prefix)/share/jobqueue/JobQueuePluginSDK")"#), "\(package)")
            #expect(FileManager.default.fileExists(atPath: cli.folder + "/Newrust/jobqueue_plugin.rs"))
        }

        @Test func theServiceUnitRunsTheInstalledHostAndReloadsWithSIGHUP() async throws {
            let prefix = try #require(installPrefix)
            let unit = try String(contentsOfFile: prefix + "/lib/systemd/system/jobqueue.service", encoding: .utf8)
            #expect(unit.contains("ExecStart=\(prefix)/bin/jobqueue run --config /etc/jobqueue/config.yaml"))
            #expect(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"))
            #expect(unit.contains("User=jobqueue") && unit.contains("ProtectSystem=strict") && unit.contains("NoNewPrivileges=yes"))
            #expect(!unit.contains("@PREFIX@"))
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
                let cli = try CLI()
                defer { cli.cleanUp() }
                let unitPath = prefix + "/lib/systemd/system/jobqueue.service"
                let verify = try await cli.run(program: "/usr/bin/systemd-analyze", ["verify", unitPath])
                #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify.stderr)")
                // systemd's own score of the sandbox: 0 is locked down, 10 is not sandboxed at all.
                let security = try await cli.run(program: "/usr/bin/systemd-analyze", ["security", "--offline=yes", unitPath])
                let score = security.stdout.components(separatedBy: "exposure level for jobqueue.service: ").last?.split(separator: " ").first
                #expect(score.flatMap { Double($0) }.map { $0 <= 3.5 } == true, "\(security.stdout.suffix(200))")
            }
            let example = try String(contentsOfFile: prefix + "/share/jobqueue/config.example.yaml", encoding: .utf8)
            #expect(example.contains("plugin: \(prefix)/lib/jobqueue/plugins/libNoopWorker.so"))
            let cli = try CLI()
            defer { cli.cleanUp() }
            let check = try await withoutToolchain(
                cli, [prefix + "/bin/jobqueue", "check", "--config", prefix + "/share/jobqueue/config.example.yaml"])
            #expect(check.status == 0, "\(check.stderr)")
        }
    }
}
