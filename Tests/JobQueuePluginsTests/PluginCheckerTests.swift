import Foundation
import Testing

@testable import JobQueuePlugins

#if canImport(Glibc)
import Glibc
#endif

/// `jobqueue check`: one clear line per broken plugin.
@Suite struct PluginCheckerTests {
    @Test func everyKindOfBrokenPluginGetsItsReason() async throws {
        let textFile = NSTemporaryDirectory() + "jobqueue-not-elf-\(UUID().uuidString).so"
        try "this is not a shared library\n".write(toFile: textFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: textFile) }

        let specs = [
            PluginSpec(topic: "good", path: try BuildProducts.plugin("FaultWorker")),
            PluginSpec(topic: "missing", path: "/nonexistent/libGone.so"),
            PluginSpec(topic: "text", path: textFile),
            PluginSpec(topic: "noperform", path: try BuildProducts.plugin("NoPerformWorker")),
            PluginSpec(topic: "badabi", path: try BuildProducts.plugin("BadAbiWorker")),
            PluginSpec(topic: "initfail", path: try BuildProducts.plugin("InitFailWorker")),
            PluginSpec(topic: "threads", path: try BuildProducts.plugin("FaultWorker"), configJSON: "{\"thread\": true}"),
            PluginSpec(topic: "initcrash", path: try BuildProducts.plugin("FaultWorker"), configJSON: "{\"init_crash\": true}"),
        ]
        let results = try await PluginChecker.check(specs, configuration: try BuildProducts.configuration())
        let reasons = Dictionary(uniqueKeysWithValues: results.map { ($0.topic, $0.failure) })

        #expect(results.map(\.topic) == specs.map(\.topic))
        #expect(reasons["good"] == .some(nil))
        #expect(reasons["missing"] == "no such file: /nonexistent/libGone.so")
        #expect(reasons["text"] == "not an ELF shared library: \(textFile)")
        #expect(reasons["noperform"] == "missing required export jq_perform")
        #expect(reasons["badabi"] == "incompatible ABI version 99.0: this host speaks 1.2 (major versions differ)")
        #expect(reasons["initfail"] == "jq_init failed: database unreachable: connection refused")
        #expect(reasons["threads"]??.contains("2 threads after loading the plugin") == true)
        #expect(reasons["initcrash"] == "the plugin crashed the process loading it (killed by SIGSEGV)")
        #expect(results.allSatisfy { !($0.failure ?? "").contains("\n") }, "one line each")
    }

    /// A `jq_shutdown` that never returns does not hang `check`: its fork server is killed at the
    /// deadline, as the host kills a retired one, and the plugin's result says so.
    @Test(.timeLimit(.minutes(1))) func checkKillsAJqShutdownThatNeverReturnsAtTheDeadline() async throws {
        let marker = NSTemporaryDirectory() + "jobqueue-shutdown-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let spec = PluginSpec(
            topic: "hang", path: try BuildProducts.plugin("FaultWorker"),
            configJSON: "{\"shutdown_file\": \"\(marker)\", \"shutdown_hang\": true}")
        let results = try await PluginChecker.check(
            [spec, PluginSpec(topic: "good", path: try BuildProducts.plugin("FaultWorker"))], configuration: try BuildProducts.configuration(),
            shutdownDeadline: .milliseconds(300))
        #expect(FileManager.default.fileExists(atPath: marker), "jq_shutdown was called")
        #expect(results.map(\.failure) == [nil, nil])
        #expect(results.map(\.notice) == ["jq_shutdown did not return within 300ms: killed, as a host kills it", nil])
        #expect(ForkServer.shutdownDeadline == .seconds(10), "the host's deadline, by default")
    }

    /// An executor whose plugins do not all load stops its fork server within the deadline, though
    /// a plugin that did load hangs in `jq_shutdown`.
    @Test(.timeLimit(.minutes(1))) func aFailedStartKillsAJqShutdownThatNeverReturnsAtTheDeadline() async throws {
        let marker = NSTemporaryDirectory() + "jobqueue-shutdown-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let specs = [
            PluginSpec(
                topic: "hang", path: try BuildProducts.plugin("FaultWorker"),
                configJSON: "{\"shutdown_file\": \"\(marker)\", \"shutdown_hang\": true}"),
            PluginSpec(topic: "badabi", path: try BuildProducts.plugin("BadAbiWorker")),
        ]
        await #expect(throws: PluginLoadError.self) {
            _ = try await PluginExecutor.start(
                plugins: specs, configuration: try BuildProducts.configuration(), shutdownDeadline: .milliseconds(300), logger: quietLogger)
        }
        #expect(FileManager.default.fileExists(atPath: marker), "jq_shutdown was called")
    }

    @Test func executorReportsAServerKilledByJqInit() async throws {
        await #expect(throws: ForkServerError.exited(WaitStatus(rawValue: SIGSEGV))) {
            _ = try await startExecutor([("fault", "FaultWorker", "{\"init_crash\": true}")])
        }
    }

    @Test func executorRefusesToStartWithABrokenPlugin() async throws {
        await #expect(
            throws: PluginLoadError(failures: [
                PluginLoadResult(topic: "badabi", failure: "incompatible ABI version 99.0: this host speaks 1.2 (major versions differ)")
            ])
        ) {
            _ = try await startExecutor([("fault", "FaultWorker", "{}"), ("badabi", "BadAbiWorker", "{}")])
        }
    }
}
