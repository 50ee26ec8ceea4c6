import Foundation
import Testing

extension ProcessTests {
    /// What `status` shows of a running host: jobs leased apart from jobs running, and a host in
    /// its grace period as stopping; and a second Ctrl-C that stops it at once.
    @Suite(.serialized) struct StatusWhileRunningTests {
        @Test func leasedAndRunningApartThenStoppingThenASecondSignalStopsAtOnce() async throws {
            // One consumer, so one job runs at a time. A topic's batches start at one job and
            // double after quick ones (1, 2, then up to 4): the three slow jobs usually share the third batch.
            let cli = try CLI(
                config: HostTests.config(
                    [("fault", HostTests.plugin("FaultWorker"), "timeout: 10m")],
                    consumer: "{ concurrency: 1, batch_size: 4, lease: 2s, poll: 50ms, grace: 30s }"))
            defer { cli.cleanUp() }
            let jobs =
                (0..<3).map { _ in #"{"queue": "q", "topic": "fault", "payload": "ok"}"# }
                + (0..<3).map { _ in #"{"queue": "q", "topic": "fault", "payload": "sleep:60000"}"# }
            try cli.write("jobs.jsonl", jobs.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            let log = cli.folder + "/host.log"
            let host = try cli.start(["run"], errorLog: log)

            // Running: 1 slow job (the quick ones done); leased: it and, usually, the rest of its
            // batch, waiting (on a loaded machine the batch may hold it alone).
            let busy = try await cli.eventually { status in
                let totals = status["totals"] as? [String: Int] ?? [:]
                return totals["running"] == 1 && (totals["leased"] ?? 0) + (totals["ready"] ?? 0) == 3
            }
            #expect(busy)
            let table = try await cli.run("status").stdout
            #expect(table.contains("LEASED") && table.contains("RUNNING"), "\(table)")
            #expect(table.contains("1 running"), "\(table)")

            // First SIGINT: a graceful stop; the slow job keeps running through the grace period.
            kill(host.processIdentifier, SIGINT)
            let stopping = try await cli.eventually { status in
                (status["hosts"] as? [[String: Any]])?.first?["stopping"] as? Bool == true
            }
            #expect(stopping)
            let stoppingTable = try await cli.run("status").stdout
            #expect(stoppingTable.contains("stopping (no new work; running batches finishing)"), "\(stoppingTable)")

            // Second SIGINT: stops at once; every job not finished goes back uncharged.
            kill(host.processIdentifier, SIGINT)
            let exited = await offThePool { () -> Bool in
                let deadline = Date().addingTimeInterval(10)
                while host.isRunning && Date() < deadline { usleep(10_000) }
                return !host.isRunning
            }
            #expect(exited, "the host ignored the second SIGINT")
            if !exited { kill(host.processIdentifier, SIGKILL) }
            #expect(await host.exited() == 0)
            let totals = try await cli.statusJSON()["totals"] as? [String: Int]
            #expect(totals == ["ready": 3, "scheduled": 0, "leased": 0, "running": 0, "dead": 0, "cancelled": 0])
            let text = try String(contentsOfFile: log, encoding: .utf8)
            #expect(text.contains("SIGINT again: stopping at once"), "\(text)")
        }
    }
}
