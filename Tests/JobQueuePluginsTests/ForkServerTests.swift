import Foundation
import JobQueue
import Testing

@testable import JobQueuePlugins

/// The fork server process itself: threads, descriptors, limits, lifecycle.
@Suite struct ForkServerTests {
    private func threads(of pid: pid_t) throws -> Int? {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
        return line.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
    }

    @Test func serverStaysSingleThreadedWithCAndSwiftPluginsLoaded() async throws {
        let outbox = NSTemporaryDirectory()
        let executor = try await startExecutor([
            ("fault", "FaultWorker", "{}"),
            ("trap", "TrapWorker", "{}"),
            ("email", "EmailWorker", "{\"outbox\": \"\(outbox)\"}"),
        ])
        await executor.run([leasedJob(1, "ok")], report: ReportCollector().report)
        #expect(try threads(of: executor.server.pid) == 1)
        await executor.shutdown()
    }

    @Test func childInheritsOnlyItsPipesAndTheLimits() async throws {
        let executor = try await faultExecutor(limits: .init(openFiles: 64))
        let reports = ReportCollector()
        await executor.run(leasedBatch(["fds", "limits"]), report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: Array("0,1,2,3,4,5".utf8)), "stdin, stdout, stderr, result pipe, output read ends")
        #expect(reports.outcomes[2] == .ok(result: Array("nofile=64 core=0".utf8)))
    }

    @Test func eventsOfABatchArriveInOrderAndEndWithExited() async throws {
        let server = try ForkServer(configuration: try BuildProducts.configuration())
        let loaded = try await server.load(plugins: [PluginSpec(topic: "fault", path: try BuildProducts.plugin("FaultWorker"))])
        #expect(loaded == [PluginLoadResult(topic: "fault")])
        let handle = try server.run(topic: "fault", jobs: leasedBatch(["ok", "stdout:x"]))
        var events: [BatchEvent] = []
        for await event in handle.events { events.append(event) }
        await server.shutdown()

        guard case .started(let pid)? = events.first else {
            Issue.record("first event must be started, got \(events)")
            return
        }
        #expect(pid > 0)
        #expect(
            Array(events.dropFirst()) == [
                .begin(index: 0), .outcome(index: 0, PluginOutcome(status: .ok)),
                .begin(index: 1), .output(.stdout, Array("out:x\n".utf8)), .output(.stderr, Array("err:x\n".utf8)),
                .outcome(index: 1, PluginOutcome(status: .ok)),
                .exited(WaitStatus(rawValue: 0)),
            ])
    }

    @Test func unknownTopicIsRejected() async throws {
        let server = try ForkServer(configuration: try BuildProducts.configuration())
        let handle = try server.run(topic: "nobody", jobs: leasedBatch(["ok"]))
        var events: [BatchEvent] = []
        for await event in handle.events { events.append(event) }
        await server.shutdown()
        #expect(events == [.rejected("no plugin is loaded for topic nobody")])
    }

    @Test func shutdownDrainsRunningBatches() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        let running = Task { await executor.run(leasedBatch(["ok", "sleep:150", "ok"]), report: reports.report) }
        let deadline = ContinuousClock.now + .seconds(5)
        while reports.reports.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let status = await executor.server.shutdown()  // while job 2 sleeps
        await running.value

        #expect(reports.reports.count == 3, "the batch finished before the server exited")
        #expect(status == WaitStatus(rawValue: 0))
        #expect(throws: ForkServerError.notRunning) { try executor.server.run(topic: "fault", jobs: []) }
    }

    @Test func shutdownCallsJqShutdown() async throws {
        let marker = NSTemporaryDirectory() + "jobqueue-shutdown-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let executor = try await startExecutor([("fault", "FaultWorker", "{\"shutdown_file\": \"\(marker)\"}")])
        await executor.run([leasedJob(1, "ok")], report: ReportCollector().report)
        #expect(!FileManager.default.fileExists(atPath: marker), "a batch's child exits without jq_shutdown")
        await executor.shutdown()
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test(.timeLimit(.minutes(1))) func aJqShutdownThatNeverReturnsIsKilledAtTheDeadline() async throws {
        let marker = NSTemporaryDirectory() + "jobqueue-shutdown-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let executor = try await startExecutor([("fault", "FaultWorker", "{\"shutdown_file\": \"\(marker)\", \"shutdown_hang\": true}")])
        await executor.run([leasedJob(1, "ok")], report: ReportCollector().report)
        let status = await executor.server.shutdown(killAfter: .milliseconds(300))
        #expect(FileManager.default.fileExists(atPath: marker), "jq_shutdown was called")
        #expect(status?.signal == SIGKILL, "\(String(describing: status))")
    }

    @Test func batchWithSeveralTopicsRunsEachInTurn() async throws {
        let executor = try await startExecutor([("fault", "FaultWorker", "{}"), ("noop", "NoopWorker", "{}")])
        let reports = ReportCollector()
        await executor.run(
            [
                leasedJob(1, "result:a"), leasedJob(2, "", topic: "noop"), leasedJob(3, "result:c"),
            ], report: reports.report)
        await executor.shutdown()
        #expect(reports.reports.map(\.0.rawValue) == [1, 2, 3])
        #expect(reports.outcomes[3] == .ok(result: Array("c".utf8)))
    }

    @Test func missingExecutableIsAClearError() throws {
        #expect(throws: ForkServerError.executableNotFound(searched: ["/nonexistent/jobqueue-forkserver"])) {
            try ForkServer(configuration: .init(executablePath: "/nonexistent/jobqueue-forkserver"))
        }
    }
}
