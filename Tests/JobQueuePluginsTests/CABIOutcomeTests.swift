import Foundation
import JobQueue
import Testing

@testable import JobQueuePlugins

/// Every outcome a C plugin can report, through the real fork server and FaultWorker.
@Suite struct CABIOutcomeTests {
    @Test func everyStatusMapsToItsCompletion() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run(leasedBatch(["ok", "error:boom", "snooze:250", "discard:nope", "result:hello", "badstatus"]), report: reports.report)
        await executor.shutdown()

        #expect(reports.reports.map(\.0.rawValue) == [1, 2, 3, 4, 5, 6], "reported in order")
        let outcomes = reports.outcomes
        #expect(outcomes[1] == .ok(result: nil))
        #expect(outcomes[2] == .error("boom"))
        #expect(outcomes[3] == .snooze(.milliseconds(250)))
        #expect(outcomes[4] == .discard("nope"))
        #expect(outcomes[5] == .ok(result: Array("hello".utf8)))
        #expect(outcomes[6] == .error("jq_perform returned invalid status 42"))
    }

    @Test func hugeResultIsCappedWithAWarning() async throws {
        let logs = LogCapture()
        let executor = try await faultExecutor(logger: logs.logger())
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "bigresult:3000000")], report: reports.report)
        await executor.shutdown()

        guard case .ok(let result)? = reports.outcomes[1] else {
            Issue.record("expected ok, got \(String(describing: reports.outcomes[1]))")
            return
        }
        #expect(result?.count == 1024 * 1024)
        #expect(logs.records.contains { $0.level == .warning && $0.message.contains("result of 3000000 bytes cut") })
    }

    @Test func jobMetadataReachesThePlugin() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run([leasedJob(42, "meta", queue: "tenant-7", attempt: 3), leasedJob(43, "config")], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[42] == .ok(result: Array("fault|tenant-7|42|3".utf8)))
        #expect(reports.outcomes[43] == .ok(result: Array("{\"name\": \"fault\"}".utf8)), "jq_init got the topic's config")
    }

    @Test func pluginsSeeASanitisedEnvironment() async throws {
        setenv("JOBQUEUE_TEST_SECRET", "hunter2", 1)
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "env:JOBQUEUE_TEST_SECRET"), leasedJob(2, "env:PATH")], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: Array("(unset)".utf8)))
        #expect(reports.outcomes[2] != .ok(result: Array("(unset)".utf8)))
    }

    @Test(.enabled(if: geteuid() == 0, "dropping privileges needs root"))
    func pluginsRunAsTheConfiguredUser() async throws {
        let nobody = try #require(getpwnam("nobody"))
        let identity = ForkServer.UserIdentity(uid: nobody.pointee.pw_uid, gid: nobody.pointee.pw_gid)
        var configuration = try BuildProducts.configuration()
        configuration.runAs = identity
        let executor = try await PluginExecutor.start(
            plugins: [PluginSpec(topic: "fault", path: try BuildProducts.plugin("FaultWorker"))],
            configuration: configuration, logger: quietLogger)
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "ids")], report: reports.report)
        await executor.shutdown()
        #expect(reports.outcomes[1] == .ok(result: Array("\(identity.uid):\(identity.gid)".utf8)))
    }

    @Test func followUpsArriveWithTheirCompletion() async throws {
        let executor = try await faultExecutor()
        let reports = ReportCollector()
        let before = Timestamp.now
        await executor.run([leasedJob(42, "followup:billing:invoice:send")], report: reports.report)
        let after = Timestamp.now
        await executor.shutdown()

        let completion = try #require(reports.byID[42])
        #expect(completion.outcome == .ok(result: nil))
        let followUp = try #require(completion.followUps.first)
        #expect(completion.followUps.count == 1)
        #expect(followUp.queueID == "billing")
        #expect(followUp.topic == "invoice:send")
        #expect(followUp.payload == Array("after 42".utf8))
        #expect(followUp.priority == 7)
        #expect(followUp.maxRetries == 2)
        let visibleAt = try #require(followUp.visibleAt)
        #expect(visibleAt >= before + .milliseconds(1500) && visibleAt <= after + .milliseconds(1500))
    }

    @Test func aBatchOfAHundredRunsInOneChild() async throws {
        let executor = try await startExecutor([("noop", "NoopWorker", "{}")])
        let reports = ReportCollector()
        await executor.run(leasedBatch(Array(repeating: "", count: 100), topic: "noop"), report: reports.report)
        await executor.shutdown()

        #expect(reports.reports.count == 100)
        #expect(reports.reports.allSatisfy { $0.1.outcome == .ok(result: nil) })
    }
}
