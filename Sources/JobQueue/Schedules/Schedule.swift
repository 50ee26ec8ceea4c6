import Foundation

/// A recurring job: at each tick of its trigger, one job of `topic` for `queueID`, however many
/// hosts run. Hosts enqueue a tick's job in one transaction with the record of the schedule's
/// last tick (``JobStore/recordTick(schedule:tick:job:)``), with a unique key derived from the
/// schedule and the tick, so that no tick is doubled.
public struct Schedule: Sendable, Equatable {
    /// When a schedule ticks.
    public enum Trigger: Sendable, Equatable {
        /// The times a cron expression names, as wall-clock times in a time zone.
        case cron(CronExpression, TimeZone)
        /// Every so often, counted from the Unix epoch (so every host agrees on the ticks).
        case every(Duration)
    }

    /// What happens to ticks missed while no host ran.
    public enum CatchUp: String, Sendable, Equatable, CaseIterable {
        /// One job for all the missed ticks (at the next moment a host runs).
        case one
        /// None: missed ticks are skipped; the next tick runs as usual.
        case none
    }

    /// The schedule's name, unique in its config: its record in the store is kept by it.
    public var name: String
    public var topic: String
    public var queueID: String
    public var trigger: Trigger
    public var payload: [UInt8]
    public var priority: Int?
    public var maxRetries: Int?
    public var catchUp: CatchUp

    public init(
        name: String, topic: String, queueID: String, trigger: Trigger, payload: [UInt8] = Array("{}".utf8), priority: Int? = nil,
        maxRetries: Int? = nil, catchUp: CatchUp = .one
    ) {
        self.name = name
        self.topic = topic
        self.queueID = queueID
        self.trigger = trigger
        self.payload = payload
        self.priority = priority
        self.maxRetries = maxRetries
        self.catchUp = catchUp
    }

    /// How late a tick may be taken and still count as on time with `catch_up: none`.
    public static let lateness: Duration = .seconds(60)

    /// The first tick after `time`; nil if there is none (a cron expression naming no real date).
    public func tick(after time: Timestamp) -> Timestamp? {
        switch trigger {
        case let .every(interval):
            let step = max(interval.milliseconds, 1)
            return Timestamp(rawValue: (time.rawValue.dividedReportingOverflow(by: step).partialValue + 1) * step)
        case let .cron(expression, timeZone):
            return expression.next(after: time.date, in: timeZone).map(Timestamp.init)
        }
    }

    /// The tick to come, as listings show it: the first after `now` and after the `last` one
    /// recorded (a host that ran late may have recorded a tick ahead of this clock).
    public func nextTick(last: Timestamp?, now: Timestamp) -> Timestamp? {
        tick(after: max(last ?? now, now))
    }

    /// The latest tick at or before `now` that is due, given the `last` tick recorded: nil when
    /// none is (`last` is the latest already). With no record yet, the schedule starts from now:
    /// nothing is due until its next tick.
    public func dueTick(now: Timestamp, last: Timestamp?) -> Timestamp? {
        guard let last else { return nil }
        guard var due = tick(after: last), due <= now else { return nil }
        if case let .every(interval) = trigger {
            let step = max(interval.milliseconds, 1)
            return Timestamp(rawValue: now.rawValue / step * step)
        }
        // Cron: walk to the latest due tick (bounded: a year of minutes at most).
        for _ in 0..<525_600 {
            guard let following = tick(after: due), following <= now else { break }
            due = following
        }
        return due
    }

    /// The trigger as people write it: `cron 0 3 * * * Europe/Berlin` or `every 30s`.
    public var triggerText: String {
        switch trigger {
        case let .cron(expression, zone): "cron \(expression) \(zone.identifier)"
        case let .every(interval): "every \(interval.text)"
        }
    }

    /// The job of the tick at `tick`: its unique key names the schedule and the tick.
    public func job(for tick: Timestamp) -> NewJob {
        NewJob(
            queueID: queueID, topic: topic, payload: payload, priority: priority, maxRetries: maxRetries,
            uniqueKey: "schedule:\(name):\(tick.rawValue)")
    }
}
