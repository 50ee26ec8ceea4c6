import ArgumentParser
import JobQueue

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show, per queue and topic, how many jobs are ready, scheduled, leased, running, dead and cancelled.",
        discussion: """
            Leased jobs are taken by a host: running now, or waiting in a batch for the jobs before \
            them. A topic that no running host serves is marked unserved, a paused topic or queue \
            paused: their jobs wait, untouched. A topic or queue at one of its config's limits \
            (max_running, max_running_per_queue, rate) is marked held: its ready jobs wait for a slot.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    struct Report: Encodable {
        struct Row: Encodable {
            var queue: String
            var topic: String
            var ready, scheduled, leased, running, dead, cancelled: Int
            var served: Bool
            /// Its topic, or the queue itself, is paused.
            var paused: Bool
            /// Its topic, or the queue itself, is at a limit of the config (see `holds`).
            var held: Bool
        }
        struct Totals: Encodable {
            var ready = 0, scheduled = 0, leased = 0, running = 0, dead = 0, cancelled = 0
        }
        var queues: [Row]
        var totals: Totals
        var hosts: [HostRecord]
        var pauses: [Pause]
        /// Topics and queues whose ready jobs wait because the config's limits are reached.
        var holds: [LimitHold]
        /// The config's schedules with their last and next tick.
        var schedules: [SchedulesCommand.Row] = []
        var unservedTopics: [String]
        /// Queue lag per topic with a ready queue: how long its longest-waiting ready queue has
        /// waited for a take, in seconds (as `/metrics` reports `jobqueue_oldest_ready_seconds`).
        var oldestReadySeconds: [String: Double] = [:]
        /// The version of the `jobqueue` that wrote the report.
        var version = JobQueueVersion.current
    }

    func run() async throws {
        let configuration = try global.loadConfiguration()
        let schedules = configuration.schedules
        let report = try await global.withClient(creatingStore: false) { client in
            var report = Self.report(try await client.status(), lag: try await client.readyLag(), limits: configuration.topicLimits, now: .now)
            if !schedules.isEmpty {
                report.schedules = SchedulesCommand.rows(schedules, ticks: try await client.store.scheduleTicks(), now: .now)
            }
            return report
        }
        if json {
            try JSONOutput.print(report)
        } else {
            print(Self.render(report))
        }
    }

    static func report(_ status: StoreStatus, lag: ReadyLag, limits: [String: TopicLimits], now: Timestamp) -> Report {
        let served = status.servedTopics
        let running = status.runningByQueue
        let holds = status.holds(limits, now: now)
        var totals = Report.Totals()
        let rows = status.queues.map { counts in
            let runningNow = running[QueueKey(queueID: counts.queueID, topic: counts.topic)] ?? 0
            totals.ready += counts.ready
            totals.scheduled += counts.scheduled
            totals.leased += counts.leased
            totals.running += runningNow
            totals.dead += counts.dead
            totals.cancelled += counts.cancelled
            return Report.Row(
                queue: counts.queueID, topic: counts.topic, ready: counts.ready, scheduled: counts.scheduled,
                leased: counts.leased, running: runningNow, dead: counts.dead, cancelled: counts.cancelled,
                served: served.contains(counts.topic), paused: status.isPaused(QueueKey(queueID: counts.queueID, topic: counts.topic)),
                held: counts.ready > 0 && holds.contains { $0.topic == counts.topic && ($0.queueID == nil || $0.queueID == counts.queueID) })
        }
        let waiting = Set(rows.filter { !$0.served && $0.ready + $0.scheduled > 0 }.map(\.topic))
        return Report(
            queues: rows, totals: totals, hosts: status.hosts, pauses: status.pauses, holds: holds, unservedTopics: waiting.sorted(),
            oldestReadySeconds: lag.topics.mapValues { Double($0.milliseconds) / 1000 })
    }

    static func render(_ report: Report) -> String {
        var table = Table(
            headers: ["QUEUE", "TOPIC", "READY", "SCHEDULED", "LEASED", "RUNNING", "DEAD", "CANCELLED", ""], numeric: [2, 3, 4, 5, 6, 7])
        for row in report.queues {
            table.add([
                row.queue, row.topic, "\(row.ready)", "\(row.scheduled)", "\(row.leased)", "\(row.running)", "\(row.dead)", "\(row.cancelled)",
                [row.served ? nil : "unserved", row.paused ? "paused" : nil, row.held ? "held" : nil].compactMap { $0 }.joined(separator: ", "),
            ])
        }
        let totals = report.totals
        table.add([
            "total", "", "\(totals.ready)", "\(totals.scheduled)", "\(totals.leased)", "\(totals.running)", "\(totals.dead)",
            "\(totals.cancelled)", "",
        ])
        var lines = [table.render(), ""]
        if report.hosts.isEmpty {
            lines.append("hosts: none running")
        } else {
            for host in report.hosts {
                let state = host.stopping ? "stopping (no new work; running batches finishing)" : "serves \(host.topics.joined(separator: ", "))"
                lines.append("host \(host.id) (pid \(host.pid), generation \(host.generation)): \(state); \(host.running.count) running")
                if let note = host.note { lines.append("  ! \(note)") }
                for reported in host.progress { lines.append("  job \(reported.job): \(reported.progress.text)") }
            }
        }
        let lagging = report.oldestReadySeconds.filter { $0.value >= 1 }.sorted { $0.value > $1.value }
        if !lagging.isEmpty {
            lines.append("oldest ready (queue lag): " + lagging.map { "\($0.key) \(Self.brief(seconds: $0.value))" }.joined(separator: ", "))
        }
        for pause in report.pauses {
            let what = pause.queueID.map { "queue \($0) of topic \(pause.topic)" } ?? "topic \(pause.topic)"
            lines.append(
                "paused: \(what) since \(pause.pausedAt) (resume with: jobqueue resume \(pause.topic)\(pause.queueID.map { " --queue \($0)" } ?? ""))"
            )
        }
        for hold in report.holds {
            let what = hold.queueID.map { "queue \($0) of topic \(hold.topic)" } ?? "topic \(hold.topic)"
            let usage = hold.limit == .rate ? "\(hold.running) started in the window" : "\(hold.running) running"
            lines.append("held: \(what) at \(hold.limit.rawValue) \(hold.value) (\(usage), \(hold.ready) ready waiting)")
        }
        for schedule in report.schedules {
            lines.append(
                "schedule \(schedule.name): \(schedule.trigger) → \(schedule.topic) (\(schedule.queue)); last tick \(schedule.lastTick ?? "never"), next \(schedule.nextTick ?? "none")"
            )
        }
        if !report.unservedTopics.isEmpty {
            lines.append("unserved topics (jobs wait until a host serves them): \(report.unservedTopics.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    /// `42s`, `5m07s`, `3h11m`: a lag at a glance.
    static func brief(seconds: Double) -> String {
        let whole = Int(seconds)
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m"
    }
}
