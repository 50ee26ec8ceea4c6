import ArgumentParser
import Foundation
import JobQueue

/// `jobqueue schedules`: the config's schedules with their last tick (from the store, whichever
/// host recorded it) and their next one.
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "List the config's schedules with their last and next tick.",
        discussion: """
            Every running host ticks the schedules of its config; each tick's job is enqueued once, \
            whichever host gets there first. A schedule never ticked yet starts at its next tick.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    /// One schedule as `schedules` and `status` show it.
    struct Row: Encodable {
        var name: String, topic: String, queue: String
        /// `cron 0 3 * * * Europe/Berlin` or `every 30s`.
        var trigger: String
        var catchUp: String
        var lastTick: String?
        var nextTick: String?
    }

    func run() async throws {
        let schedules = try global.loadConfiguration().schedules
        let ticks = try await global.withClient(creatingStore: false) { try await $0.store.scheduleTicks() }
        let rows = Self.rows(schedules, ticks: ticks, now: .now)
        if json {
            try JSONOutput.print(rows)
            return
        }
        guard !rows.isEmpty else {
            print("no schedules in \(global.config)")
            return
        }
        var table = Table(headers: ["SCHEDULE", "TOPIC", "QUEUE", "TRIGGER", "LAST TICK", "NEXT TICK"])
        for row in rows {
            table.add([row.name, row.topic, row.queue, row.trigger, row.lastTick ?? "never", row.nextTick ?? "none"])
        }
        print(table.render())
    }

    static func rows(_ schedules: [Schedule], ticks: [String: Timestamp], now: Timestamp) -> [Row] {
        schedules.map { schedule in
            let last = ticks[schedule.name]
            return Row(
                name: schedule.name, topic: schedule.topic, queue: schedule.queueID, trigger: schedule.triggerText,
                catchUp: schedule.catchUp.rawValue,
                lastTick: last?.description, nextTick: schedule.nextTick(last: last, now: now)?.description)
        }
    }
}
