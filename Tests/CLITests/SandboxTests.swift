import Foundation
import Testing

extension ProcessTests {
    /// A topic's `sandbox:` confines its plugin, `jq_init` included: SandboxProbeWorker tries to
    /// connect to a listener on 127.0.0.1, to write and read outside its folders, to gain root
    /// through a setuid binary, to take another process's descriptor and to make a user namespace,
    /// once unconfined and once confined; a topic the kernel cannot
    /// confine as asked is refused while the others serve.
    @Suite(.enabled(if: geteuid() == 0, "a setuid-root probe and plugins running as nobody need root")) struct SandboxTests {
        @Test func aSandboxedPluginCannotConnectWriteReadOrGainRootAndWhatCannotBeEnforcedIsRefused() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            chmod(cli.folder, 0o755)
            let (out, secret, bin) = (cli.folder + "/out", cli.folder + "/secret", cli.folder + "/bin")
            for (folder, mode) in [(out, 0o777), (secret, 0o777), (bin, 0o755)] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
                chmod(folder, mode_t(mode))
            }
            try "secret".write(toFile: secret + "/file", atomically: false, encoding: .utf8)
            chmod(secret + "/file", 0o644)
            try FileManager.default.copyItem(atPath: "/usr/bin/id", toPath: bin + "/id")
            chmod(bin + "/id", 0o4755)
            let nobody = try #require(getpwnam("nobody")).pointee
            // The control: outside any sandbox, the setuid binary does make nobody root.
            let control = try await cli.run(
                program: "/usr/bin/setpriv", ["--reuid=\(nobody.pw_uid)", "--regid=\(nobody.pw_gid)", "--clear-groups", bin + "/id", "-u"])
            #expect(control.stdout == "0\n", "\(control.stderr)")

            // A process of the plugins' user, whose descriptors a plugin tries to take.
            let (victim, _, _) = try cli.start(
                program: "/usr/bin/setpriv", ["--reuid=\(nobody.pw_uid)", "--regid=\(nobody.pw_gid)", "--clear-groups", "/bin/sleep", "60"],
                stdin: "")
            defer { kill(victim.processIdentifier, SIGKILL) }
            let listener = try Self.listenOnLoopback()
            defer { close(listener.socket) }
            let probe = HostTests.plugin("SandboxProbeWorker")
            let probes =
                #"config: { connect: "127.0.0.1:\#(listener.port)", write: "\#(secret)/new", read: "\#(secret)/file", setuid: "\#(bin)/id", grab: "\#(victim.processIdentifier)" }"#
            try cli.write(
                "config.yaml",
                HostTests.config([
                    ("open", probe, "user: nobody\n    " + probes),
                    ("closed", probe, "user: nobody\n    \(probes)\n    sandbox: { network: false, writable: [out], readable: [bin] }"),
                    ("refused", probe, "sandbox: { writable: [out], landlock_abi: 1000 }"),
                ]).replacingOccurrences(of: "level: info", with: "level: debug"))

            let check = try await cli.run("check")
            #expect(check.status == 1)
            for line in [
                "ok    open: \(probe)", "      sandbox: no new privileges",
                "ok    closed: \(probe)",
                "      sandbox: no new privileges; no network; writes only to \(out), /dev/null; reads only what it may write and \(bin), \(probe), ",
                "FAIL  refused: sandbox: the topic asks for Landlock ABI 1000; this kernel offers ",
            ] {
                #expect(check.stdout.contains(line), "\(line) in \(check.stdout)")
            }

            for topic in ["open", "closed", "refused"] { #expect(try await cli.run("enqueue", "q", topic, #""probe""#).status == 0) }
            let run = try await cli.run("run", "--drain")
            #expect(run.status == 0, "\(run.stderr)")
            #expect(
                run.stderr.contains("some topics are not served: topic refused is not served: sandbox: the topic asks for Landlock ABI 1000"),
                "\(run.stderr)")
            let hostNet = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
            let unconfined = "connect=ok write=ok read=ok setuid=\(nobody.pw_uid) net=\(hostNet) grab=ok userns=ok/ok"
            #expect(run.stderr.contains("result=init{\(unconfined)} perform{\(unconfined)} topic=open"), "\(run.stderr)")
            let confined = try #require(run.stderr.split(separator: "\n").first { $0.contains("topic=closed") && $0.contains("result=") })
            #expect(
                confined.components(separatedBy: "connect=EACCES write=EACCES read=EACCES setuid=\(nobody.pw_uid) net=net:").count == 3, "\(confined)"
            )
            #expect(!confined.contains(hostNet), "the confined plugin has a network namespace of its own: \(confined)")
            #expect(confined.components(separatedBy: "grab=EPERM userns=EPERM/EPERM").count == 3, "\(confined)")
            #expect((try await cli.statusJSON()["totals"] as? [String: Int])?["ready"] == 1, "the refused topic's job waits")

            // At a reload too: the topic now refused keeps its previous plugin, the one refused
            // at start now loads and runs its job.
            let host = try cli.start(["run"], errorLog: cli.folder + "/host.log")
            defer { kill(host.processIdentifier, SIGKILL) }
            #expect(try await cli.waitUntilServing(host))
            let config = try String(contentsOfFile: cli.folder + "/config.yaml", encoding: .utf8)
            try cli.write(
                "config.yaml",
                config.replacingOccurrences(of: "landlock_abi: 1000", with: "landlock_abi: 1")
                    .replacingOccurrences(of: "readable: [bin] }", with: "readable: [bin], landlock_abi: 1000 }"))
            let note = "reload refused for some topics: topic closed keeps its previous plugin: sandbox: the topic asks for Landlock ABI 1000"
            #expect(try await cli.eventually { (($0["hosts"] as? [[String: Any]])?.first?["note"] as? String)?.contains(note) == true })
            #expect(try await cli.eventually { ($0["totals"] as? [String: Int])?["ready"] == 0 })
            kill(host.processIdentifier, SIGTERM)
            #expect(await host.exited() == 0)
        }

        /// A TCP listener on 127.0.0.1 at a free port.
        static func listenOnLoopback() throws -> (socket: Int32, port: UInt16) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(fd, generic, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, generic, &length) == 0
                }
            }
            guard fd >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
            return (fd, UInt16(bigEndian: address.sin_port))
        }
    }
}
