import Foundation
import JobQueue
import Testing

@testable import JobQueuePlugins

/// A plugin built outside SwiftPM with nothing but the header and `cc`, as Plugins/README.md
/// tells third parties to.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/cc")))
struct ThirdPartyPluginTests {
    /// `JobQueuePluginSDK/Sources/CJobQueuePlugin/include`, found from this file's place in the tree.
    private static let headerDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("JobQueuePluginSDK/Sources/CJobQueuePlugin/include").path

    private static let source = """
        #include <stdio.h>
        #include <string.h>
        #include "jobqueue_plugin.h"

        uint32_t jq_abi_version(void) { return JQ_ABI_VERSION; }

        jq_status jq_perform(const jq_job *job, jq_context *ctx) {
            char text[64];
            snprintf(text, sizeof text, "%zu bytes, attempt %u", job->payload_len, job->attempt);
            ctx->set_result(ctx, (const uint8_t *)text, strlen(text));
            ctx->log(ctx, JQ_LOG_INFO, "hello from a cc-built plugin");
            return JQ_OK;
        }
        """

    @Test func ccBuiltPluginLoadsAndRuns() async throws {
        let folder = NSTemporaryDirectory() + "jobqueue-thirdparty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.source.write(toFile: folder + "/x.c", atomically: true, encoding: .utf8)

        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        cc.arguments = ["-std=c99", "-Wall", "-Werror", "-shared", "-fPIC", "-I", Self.headerDirectory, "-o", folder + "/libX.so", folder + "/x.c"]
        try cc.run()
        // Waited for on a thread of its own, not one of the cooperative pool's (other tests run
        // beside this one on its few threads).
        let status = await withCheckedContinuation { continuation in
            Thread {
                cc.waitUntilExit()
                continuation.resume(returning: cc.terminationStatus)
            }.start()
        }
        try #require(status == 0, "cc failed")

        let logs = LogCapture()
        let executor = try await PluginExecutor.start(
            plugins: [PluginSpec(topic: "x", path: folder + "/libX.so")],
            configuration: try BuildProducts.configuration(), logger: logs.logger()
        )
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "four", topic: "x", attempt: 2)], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: Array("4 bytes, attempt 2".utf8)))
        #expect(logs.records.contains { $0.message == "hello from a cc-built plugin" && $0.metadata["job_id"] == "1" })
    }
}
