import Foundation
import JobQueue
import Testing

@testable import JobQueuePlugins

/// Swift plugins built with JobQueueSDK, through the real fork server.
@Suite struct SwiftSDKTests {
    /// A fresh empty folder.
    private func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "jobqueue-sdk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func emailWorkerWritesMailsAndReportsEveryOutcome() async throws {
        let outbox = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let logs = LogCapture()
        let config = "{\"outbox\": \"\(outbox)\", \"from\": \"news@example.com\", \"sent_topic\": \"email:sent\"}"
        let executor = try await startExecutor([("email", "EmailWorker", config)], logger: logs.logger())
        let reports = ReportCollector()
        let jobs = [
            leasedJob(
                1, #"{"to": "ada@example.com", "subject": "Hello\r\nBcc: evil@example.com", "body": "Hi Ada,\n.\nBye"}"#, topic: "email",
                queue: "tenant-1"),
            leasedJob(2, #"{"to": "not an address", "subject": "x", "body": "y"}"#, topic: "email"),
            leasedJob(3, #"{"to": "ada@example.com"}"#, topic: "email"),
        ]
        await executor.run(jobs, report: reports.report)
        await executor.shutdown()

        let path = "\(outbox)/1.eml"
        #expect(reports.outcomes[1] == .ok(result: Array(path.utf8)))
        #expect(reports.outcomes[2] == .error("invalid address: not an address"))
        guard case .discard(let reason)? = reports.outcomes[3] else {
            Issue.record("a payload missing fields must be discarded, got \(String(describing: reports.outcomes[3]))")
            return
        }
        #expect(reason.hasPrefix("undecodable payload:"))

        let mail = try String(contentsOfFile: path, encoding: .utf8)
        #expect(mail.hasPrefix("From: news@example.com\r\nTo: ada@example.com\r\nSubject: Hello Bcc: evil@example.com\r\nDate: "))
        #expect(mail.contains("Message-ID: <1.1@jobqueue>\r\n"))
        #expect(mail.hasSuffix("\r\n\r\nHi Ada,\r\n..\r\nBye\r\n"), "dot-stuffed body with CRLF line ends")

        let followUps = try #require(reports.byID[1]).followUps
        #expect(followUps.map(\.topic) == ["email:sent"])
        #expect(followUps.first?.queueID == "tenant-1")
        #expect(followUps.first.map { String(decoding: $0.payload, as: UTF8.self) } == #"{"file":"\#(path)","to":"ada@example.com"}"#)

        let line = try #require(logs.records.first { $0.message.hasPrefix("wrote ") })
        #expect(line.metadata["job_id"] == "1")
        #expect(line.metadata["topic"] == "email")
    }

    @Test func emailWorkerRefusesABadConfig() async throws {
        let results = try await PluginChecker.check(
            [PluginSpec(topic: "email", path: try BuildProducts.plugin("EmailWorker"), configJSON: "{\"outbox\": \"/nonexistent/outbox\"}")],
            configuration: try BuildProducts.configuration()
        )
        #expect(results.first?.failure == "jq_init failed: outbox /nonexistent/outbox is not a folder")
    }

    @Test func trapWorkerThrowsSnoozesAndDiscards() async throws {
        let executor = try await startExecutor([("trap", "TrapWorker", "{}")])
        let reports = ReportCollector()
        await executor.run(
            leasedBatch([#"{"throw": "database is down"}"#, #"{"snooze_ms": 250}"#, "not json", "{}"], topic: "trap"), report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .error("database is down"), "a thrown error is an error outcome")
        #expect(reports.outcomes[2] == .snooze(.milliseconds(250)))
        guard case .discard(let reason)? = reports.outcomes[3] else {
            Issue.record("expected discard, got \(String(describing: reports.outcomes[3]))")
            return
        }
        #expect(reason.hasPrefix("undecodable payload:"))
        #expect(reports.outcomes[4] == .ok(result: Array("survived".utf8)))
    }

    @Test func twoSwiftPluginsShareOneForkServer() async throws {
        let outbox = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: outbox) }
        let executor = try await startExecutor([
            ("trap", "TrapWorker", "{}"),
            ("email", "EmailWorker", "{\"outbox\": \"\(outbox)\"}"),
        ])
        let reports = ReportCollector()
        await executor.run([leasedJob(1, "{}", topic: "trap")], report: reports.report)
        await executor.run([leasedJob(2, #"{"to": "a@b.io", "subject": "s", "body": "b"}"#, topic: "email")], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: Array("survived".utf8)))
        #expect(reports.outcomes[2] == .ok(result: Array("\(outbox)/2.eml".utf8)))
    }

    @Test func wordCountWorkerCountsPayloadsAndFiles() async throws {
        let reportsFolder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: reportsFolder) }
        let input = reportsFolder + "/input.txt"
        try "one two\nthree\n".write(toFile: input, atomically: true, encoding: .utf8)
        let executor = try await startExecutor([("wc", "WordCountWorker", "{\"report_dir\": \"\(reportsFolder)\"}")])
        let reports = ReportCollector()
        await executor.run(
            [
                leasedJob(1, "hello world\nbye\n", topic: "wc"),
                leasedJob(2, "{\"file\": \"\(input)\"}", topic: "wc"),
                leasedJob(3, "{\"path\": \"x\"}", topic: "wc"),
            ], report: reports.report)
        await executor.shutdown()

        #expect(reports.outcomes[1] == .ok(result: Array("2 3 16 (payload)".utf8)))
        #expect(reports.outcomes[2] == .ok(result: Array("2 3 14 \(input)".utf8)))
        #expect(reports.outcomes[3] == .discard("payload is JSON without a \"file\" string"))
        #expect(try String(contentsOfFile: reportsFolder + "/1.txt", encoding: .utf8) == "2 3 16 (payload)\n")
    }
}
