import JobQueue
import Testing

@testable import JobQueuePlugins

/// What plugins print and log ends up in the host's log, tagged with the job.
@Suite struct OutputAndLogTests {
    @Test func stdoutAndStderrAreCapturedPerJob() async throws {
        let logs = LogCapture()
        let executor = try await faultExecutor(logger: logs.logger())
        let reports = ReportCollector()
        await executor.run([leasedJob(7, "stdout:hello", queue: "tenant-3", attempt: 2)], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[7] == .ok(result: nil))
        let out = try #require(logs.records.first { $0.message == "out:hello" })
        #expect(out.metadata == ["job_id": "7", "queue_id": "tenant-3", "topic": "fault", "attempt": "2", "stream": "stdout"])
        let err = try #require(logs.records.first { $0.message == "err:hello" })
        #expect(err.metadata["stream"] == "stderr")
        #expect(err.metadata["job_id"] == "7")
    }

    @Test func outputOfEachJobIsTaggedWithThatJob() async throws {
        let logs = LogCapture()
        let executor = try await faultExecutor(logger: logs.logger())
        await executor.run(leasedBatch((1...20).map { "stdout:job\($0)" }), report: ReportCollector().report)
        await executor.shutdown()

        for id in 1...20 {
            let lines = logs.records.filter { $0.message.hasSuffix(":job\(id)") }
            #expect(lines.count == 2, "stdout and stderr of job \(id)")
            #expect(lines.allSatisfy { $0.metadata["job_id"] == "\(id)" }, "job \(id): \(lines.map(\.metadata))")
        }
    }

    @Test func largeOutputOfALongJobDoesNotBlockIt() async throws {
        let logs = LogCapture()
        let executor = try await faultExecutor(timeout: .seconds(5), logger: logs.logger())
        let reports = ReportCollector()
        // 3000 lines of ~1 KiB: far more than a pipe holds, so the server must read while the job runs.
        await executor.run([leasedJob(1, "spam:3000"), leasedJob(2, "stdout:after")], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: nil))
        let spam = logs.records.filter { $0.message.hasPrefix("spam ") }
        #expect(spam.count == 3000)
        #expect(spam.allSatisfy { $0.metadata["job_id"] == "1" })
        #expect(spam.map(\.message) == (1...3000).map { "spam \($0) " + String(repeating: "x", count: 1000) }, "in order")
        #expect(logs.records.first { $0.message == "out:after" }?.metadata["job_id"] == "2")
    }

    @Test func pluginLogLinesCarryTheJobFields() async throws {
        let logs = LogCapture()
        let executor = try await faultExecutor(logger: logs.logger())
        await executor.run([leasedJob(5, "log:disk almost full", queue: "tenant-9")], report: ReportCollector().report)
        await executor.shutdown()

        let line = try #require(logs.records.first { $0.message == "disk almost full" })
        #expect(line.level == .warning)
        #expect(line.metadata == ["job_id": "5", "queue_id": "tenant-9", "topic": "fault", "attempt": "1"])
    }

    /// The Swift backtracer (`💣 Program crashed`, ~90 lines, 5–10 ms) is off in children unless
    /// asked for. A debug-built plugin still prints the runtime's short "Current stack trace".
    @Test(arguments: [false, true])
    func swiftBacktracerRunsOnlyWhenAskedFor(enabled: Bool) async throws {
        let logs = LogCapture()
        var configuration = try BuildProducts.configuration()
        configuration.swiftBacktraces = enabled
        let executor = try await PluginExecutor.start(
            plugins: [PluginSpec(topic: "trap", path: try BuildProducts.plugin("TrapWorker"))],
            configuration: configuration, logger: logs.logger()
        )
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "{\"trap\": true}", topic: "trap")], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .error("crashed: SIGILL"))
        let stderr = logs.records.filter { $0.metadata["stream"] == "stderr" }.map(\.message)
        #expect(stderr.contains { $0.contains("asked to trap") }, "the fatalError message is kept")
        #expect(stderr.contains { $0.contains("Program crashed") } == enabled)
    }
}
