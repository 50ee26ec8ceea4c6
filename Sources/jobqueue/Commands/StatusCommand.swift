import ArgumentParser
import JobQueue

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per queue and topic, how many jobs are ready, scheduled, running and dead.",
        discussion: "A topic that no running host serves is marked unserved: its jobs wait, untouched."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    struct Report: Encodable {
        struct Row: Encodable {
            var queue: String
            var topic: String
            var ready, scheduled, running, dead: Int
            var served: Bool
        }
        struct Totals: Encodable {
            var ready = 0, scheduled = 0, running = 0, dead = 0
        }
        var queues: [Row]
        var totals: Totals
        var hosts: [HostRecord]
        var unservedTopics: [String]
        /// The version of the `jobqueue` that wrote the report.
        var version = JobQueueVersion.current
    }

    func run() async throws {
        let report = Self.report(try await global.withClient(creatingStore: false) { try await $0.status() })
        if json {
            try JSONOutput.print(report)
        } else {
            print(Self.render(report))
        }
    }

    static func report(_ status: StoreStatus) -> Report {
        let served = status.servedTopics
        var totals = Report.Totals()
        let rows = status.queues.map { counts in
            totals.ready += counts.ready
            totals.scheduled += counts.scheduled
            totals.running += counts.running
            totals.dead += counts.dead
            return Report.Row(
                queue: counts.queueID, topic: counts.topic, ready: counts.ready, scheduled: counts.scheduled,
                running: counts.running, dead: counts.dead, served: served.contains(counts.topic))
        }
        let waiting = Set(rows.filter { !$0.served && $0.ready + $0.scheduled > 0 }.map(\.topic))
        return Report(queues: rows, totals: totals, hosts: status.hosts, unservedTopics: waiting.sorted())
    }

    static func render(_ report: Report) -> String {
        var table = Table(headers: ["QUEUE", "TOPIC", "READY", "SCHEDULED", "RUNNING", "DEAD", ""], numeric: [2, 3, 4, 5])
        for row in report.queues {
            table.add([row.queue, row.topic, "\(row.ready)", "\(row.scheduled)", "\(row.running)", "\(row.dead)", row.served ? "" : "unserved"])
        }
        let totals = report.totals
        table.add(["total", "", "\(totals.ready)", "\(totals.scheduled)", "\(totals.running)", "\(totals.dead)", ""])
        var lines = [table.render(), ""]
        if report.hosts.isEmpty {
            lines.append("hosts: none running")
        } else {
            for host in report.hosts {
                lines.append("host \(host.id) (pid \(host.pid)): serves \(host.topics.joined(separator: ", "))")
                if let note = host.note { lines.append("  ! \(note)") }
            }
        }
        if !report.unservedTopics.isEmpty {
            lines.append("unserved topics (jobs wait until a host serves them): \(report.unservedTopics.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}
