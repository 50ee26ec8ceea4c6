import JobQueue
import Testing

@testable import JobQueuePlugins

#if canImport(Glibc)
import Glibc
#endif

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

    /// The hang never ends: were the timeout not enforced, the test would end at its time limit.
    /// The timeout leaves the 50 ms job a wide margin: the deadline runs from when the host reads
    /// the job's start, and a loaded machine (CI runs many suites at once) may read it late.
    @Test(.timeLimit(.minutes(1))) func hangingJobTimesOut() async throws {
        let executor = try await faultExecutor(timeout: .seconds(1))
        let reports = ReportCollector()
        await executor.run(leasedBatch(["sleep:50", "hang", "ok"]), report: reports.report)
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1, 2])
        #expect(reports.outcomes[1] == .ok(result: nil), "50 ms is within the 1 s timeout")
        #expect(reports.outcomes[2] == .error("timed out after 1s"))
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

/// Plugins that misbehave without crashing: each is contained by the child's limits and process group.
@Suite struct ContainmentTests {
    @Test func unboundedAllocationIsStoppedByTheAddressSpaceLimit() async throws {
        // A generous timeout: filling 1 GiB on a busy machine is slow, and only a missing limit
        // lets the job run until it (then the test fails on the outcome).
        let executor = try await faultExecutor(timeout: .seconds(120), limits: .init(addressSpaceBytes: 1 << 30))
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "alloc"), leasedJob(2, "ok")], report: reports.report)
        await executor.shutdown()
        guard case .error(let message)? = reports.outcomes[1] else {
            Issue.record("alloc: \(String(describing: reports.outcomes[1]))")
            return
        }
        if message.hasPrefix("allocation refused after ") {
            // The plugin got its NULL from malloc: the 1 GiB address-space limit stopped it.
            let mebibytes = Int(message.dropFirst("allocation refused after ".count).prefix { $0.isNumber })
            #expect(mebibytes.map { $0 < 1024 } == true, "\(message)")
            #expect(reports.outcomes[2] == .ok(result: nil), "the next job runs in the same child")
        } else {
            // Or the child died touching memory: charged, and the next job goes back uncharged.
            #expect(message.hasPrefix("crashed"), "\(message)")
            #expect(reports.outcomes[2] == nil)
        }
    }

    @Test func closingItsOwnDescriptorsChargesOnlyThatJob() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "ok"), leasedJob(2, "closefds"), leasedJob(3, "ok")], report: reports.report)
        await executor.shutdown()
        #expect(reports.outcomes[1] == .ok(result: nil))
        guard case .error? = reports.outcomes[2] else {
            Issue.record("closefds: \(String(describing: reports.outcomes[2]))")
            return
        }
        #expect(reports.outcomes[3] == nil, "the job after it goes back to the queue uncharged")
    }

    @Test func aGrandchildDiesWithItsBatch() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "grandchild")], report: reports.report)
        guard case .ok(let result)? = reports.outcomes[1], let pid = Int32(String(decoding: result ?? [], as: UTF8.self)) else {
            Issue.record("grandchild: \(String(describing: reports.outcomes[1]))")
            return
        }
        var gone = false
        for _ in 0..<200 where !gone {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
            gone = state == nil || state == "Z"
            if !gone { try await Task.sleep(for: .milliseconds(5)) }
        }
        await executor.shutdown()
        #expect(gone, "grandchild \(pid) outlived its batch")
    }
}
