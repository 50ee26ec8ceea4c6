import Foundation
import JobQueue
import Synchronization
import Testing

@testable import JobQueuePlugins

/// ABI 1.2 `progress`: a plugin's reports reach the executor's sink, tagged with their job, and a
/// plugin calling it in a tight loop sends at most one every 100 ms.
@Suite struct ProgressTests {
    @Test func reportsReachTheSinkAndAFloodIsThrottled() async throws {
        let received = Mutex<[(JobID, JobProgress)]>([])
        let specs = [
            PluginSpec(topic: "fault", path: try BuildProducts.plugin("FaultWorker"), configJSON: "{}", policy: TopicPolicy(timeout: .seconds(30)))
        ]
        let executor = try await PluginExecutor.start(
            plugins: specs, configuration: try BuildProducts.configuration(limits: .unlimited),
            progress: { id, progress in received.withLock { $0.append((id, progress)) } }, logger: quietLogger)
        let reports = ReportCollector()
        let started = ContinuousClock.now
        await executor.run(leasedBatch(["progress:40:10:resizing images", "progressflood:2000000", "progress:250:0"]), report: reports.report)
        let elapsed = ContinuousClock.now - started
        await executor.shutdown()

        #expect(reports.outcomes == [1: .ok(result: nil), 2: .ok(result: nil), 3: .ok(result: nil)])
        let all = received.withLock { $0 }
        #expect(all.first { $0.0.rawValue == 1 }?.1 == JobProgress(percent: 40, message: "resizing images"))
        #expect(all.first { $0.0.rawValue == 3 }?.1 == JobProgress(percent: 100), "more than 100 counts as 100")
        let flood = all.filter { $0.0.rawValue == 2 }.count
        let allowed = Int(elapsed / .milliseconds(100)) + 2
        #expect(flood >= 1 && flood <= allowed, "two million calls sent \(flood) reports in \(elapsed)")
    }

    @Test func theSwiftSDKReportsProgress() async throws {
        let received = Mutex<[(JobID, JobProgress)]>([])
        let specs = [PluginSpec(topic: "trap", path: try BuildProducts.plugin("TrapWorker"), configJSON: "{}", policy: TopicPolicy())]
        let executor = try await PluginExecutor.start(
            plugins: specs, configuration: try BuildProducts.configuration(limits: .unlimited),
            progress: { id, progress in received.withLock { $0.append((id, progress)) } }, logger: quietLogger)
        let reports = ReportCollector()
        await executor.run(leasedBatch([#"{"progress": 60}"#], topic: "trap"), report: reports.report)
        await executor.shutdown()
        #expect(reports.outcomes[1] == .ok(result: Array("survived".utf8)))
        #expect(received.withLock { $0.map(\.1) } == [JobProgress(percent: 60, message: "from Swift")])
    }
}
