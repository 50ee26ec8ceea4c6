#if canImport(Glibc)
import Glibc
#endif
import JobQueue
import Testing
@testable import JobQueueHost

/// A child that dies mid-batch: the running job is charged, the later ones go back uncharged.
@Suite struct CrashTests {
    @Test(arguments: [("segv", "crashed: SIGSEGV"), ("abort", "crashed: SIGABRT"), ("exit0", "exited with status 0")])
    func deathMidBatchChargesOnlyTheRunningJob(command: String, error: String) async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run(leasedBatch(["result:first", command, "ok"]), report: reports.report)
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1, 2], "job 3 must stay unreported")
        #expect(reports.outcomes[1] == .ok(result: Array("first".utf8)))
        #expect(reports.outcomes[2] == .error(error))
    }

    @Test func childWritingGarbageToTheResultPipeIsKilled() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run(leasedBatch(["ok", "garbage", "ok"]), report: reports.report)
        await executor.shutdown()

        // The server drops everything after the junk and kills the child (which may have exited
        // already): job 2 is charged, whatever job 3 said never reaches the host.
        #expect(reports.reports.map(\.0.rawValue) == [1, 2])
        #expect(reports.outcomes[2] == .error("crashed: SIGKILL") || reports.outcomes[2] == .error("exited with status 0"))
    }

    @Test func swiftTrapArrivesAsSIGILL() async throws {
        let executor = try await startExecutor([("trap", "TrapWorker", "{}")])
        let reports = ReportCollector()
        await executor.run(leasedBatch(["{}", "{\"trap\": true}", "{}"], topic: "trap"), report: reports.report)
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1, 2])
        #expect(reports.outcomes[1] == .ok(result: Array("survived".utf8)))
        #expect(reports.outcomes[2] == .error("crashed: SIGILL"))
    }

    @Test func hangingJobTimesOut() async throws {
        let executor = try await faultExecutor(timeout: .milliseconds(200))
        let reports = ReportCollector()
        let clock = ContinuousClock()
        let elapsed = await clock.measure {
            await executor.run(leasedBatch(["sleep:50", "hang", "ok"]), report: reports.report)
        }
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1, 2])
        #expect(reports.outcomes[1] == .ok(result: nil), "50 ms is within the 200 ms timeout")
        #expect(reports.outcomes[2] == .error("timed out after 200ms"))
        #expect(elapsed < .seconds(3))
    }

    @Test func cancellationKillsTheBatchAndReportsNothingMore() async throws {
        let executor = try await faultExecutor(timeout: nil)
        let reports = ReportCollector()
        let task = Task { await executor.run(leasedBatch(["ok", "hang", "ok"]), report: reports.report) }
        // Wait until the first job is reported, i.e. the child is in "hang".
        let deadline = ContinuousClock.now + .seconds(5)
        while reports.reports.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await task.value
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1], "the hanging job is not charged when the host gives up")
    }

    @Test func deadForkServerLeavesTheBatchUnreported() async throws {
        let executor = try await faultExecutor(timeout: nil)
        let reports = ReportCollector()
        let task = Task { await executor.run(leasedBatch(["ok", "hang"]), report: reports.report) }
        let deadline = ContinuousClock.now + .seconds(5)
        while reports.reports.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        kill(executor.server.pid, SIGKILL)
        await task.value

        #expect(reports.reports.map(\.0.rawValue) == [1])
        #expect(executor.server.isRunning == false)
        // A dead server refuses new batches instead of hanging.
        await executor.run(leasedBatch(["ok"], firstID: 9), report: reports.report)
        #expect(reports.reports.count == 1)
    }
}
