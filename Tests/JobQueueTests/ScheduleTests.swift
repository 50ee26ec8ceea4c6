import Foundation
import JobQueueTestKit
import Testing

@testable import JobQueue

/// Cron expressions, interval ticks, and schedules ticked by several pipelines on one store with
/// a clock the test moves.
@Suite struct ScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    static func time(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test(arguments: [
        ("0 3 * *", "a cron expression has five fields (minute hour day-of-month month day-of-week), got 4"),
        ("60 * * * *", "minute field '60': '60' is not a minute (0-59)"),
        ("*/0 * * * *", "minute field '*/0': the step must be a positive number"),
        ("0 5-2 * * *", "hour field '5-2': the range 5-2 is backwards"),
        ("0 0 * JANUARY *", "month field 'JANUARY': 'JANUARY' is not a month (1-12)"),
    ])
    func badExpressionsAreRefusedWithTheFieldAtFault(text: String, message: String) {
        #expect(throws: CronError(message)) { try CronExpression(text) }
    }

    @Test func theNextTimeFollowsEveryField() throws {
        func next(_ expression: String, after: String, in zone: TimeZone = ScheduleTests.utc) throws -> Date? {
            try CronExpression(expression).next(after: Self.time(after), in: zone)
        }
        #expect(try next("0 3 * * *", after: "2026-01-01T03:00:00Z") == Self.time("2026-01-02T03:00:00Z"))
        #expect(try next("*/15 * * * *", after: "2026-01-01T10:07:00Z") == Self.time("2026-01-01T10:15:00Z"))
        #expect(try next("0 9 * * MON-FRI", after: "2026-01-02T09:00:00Z") == Self.time("2026-01-05T09:00:00Z"), "Friday, then Monday")
        #expect(try next("0 0 1 JAN,jul *", after: "2026-02-01T00:00:00Z") == Self.time("2026-07-01T00:00:00Z"))
        // Day of month and day of week both restricted: either matches (the 13th, or a Friday).
        #expect(try next("0 0 13 * 5", after: "2026-02-01T00:00:00Z") == Self.time("2026-02-06T00:00:00Z"))
        #expect(try next("0 0 13 * 7", after: "2026-02-01T00:00:00Z") == Self.time("2026-02-01T00:00:00Z").addingTimeInterval(7 * 86_400))
        #expect(try next("0 0 30 2 *", after: "2026-01-01T00:00:00Z") == nil, "February never has a 30th")
    }

    @Test func daylightSavingChangesRunEachTimeOnce() throws {
        let cron = try CronExpression("30 2 * * *")
        // Berlin skips 02:00-03:00 on 29 March 2026: the 02:30 run happens at 03:30 (01:30 UTC).
        let spring = try #require(cron.next(after: Self.time("2026-03-28T12:00:00Z"), in: Self.berlin))
        #expect(spring == Self.time("2026-03-29T01:30:00Z"))
        #expect(cron.next(after: spring, in: Self.berlin) == Self.time("2026-03-30T00:30:00Z"))
        // 02:30 happens twice on 25 October 2026 (CEST, then CET): it runs once.
        let autumn = try #require(cron.next(after: Self.time("2026-10-24T12:00:00Z"), in: Self.berlin))
        #expect(autumn == Self.time("2026-10-25T00:30:00Z"))
        #expect(cron.next(after: autumn, in: Self.berlin) == Self.time("2026-10-26T01:30:00Z"))
    }

    @Test func intervalTicksAreAlignedAndMissedOnesCollapse() {
        let schedule = Schedule(name: "s", topic: "t", queueID: "q", trigger: .every(.seconds(10)))
        #expect(schedule.tick(after: Timestamp(rawValue: 1_000)) == Timestamp(rawValue: 10_000))
        #expect(schedule.tick(after: Timestamp(rawValue: 10_000)) == Timestamp(rawValue: 20_000))
        #expect(schedule.dueTick(now: Timestamp(rawValue: 15_000), last: nil) == nil, "a new schedule starts from now")
        #expect(schedule.dueTick(now: Timestamp(rawValue: 15_000), last: Timestamp(rawValue: 10_000)) == nil)
        #expect(schedule.dueTick(now: Timestamp(rawValue: 75_000), last: Timestamp(rawValue: 10_000)) == Timestamp(rawValue: 70_000))
        #expect(schedule.job(for: Timestamp(rawValue: 70_000)).uniqueKey == "schedule:s:70000")
    }

    @Test(arguments: StoreBackend.available)
    func aTickIsRecordedOnceWhoeverRecordsIt(backend: StoreBackend) async throws {
        let test = try await backend.makeStore()
        let store = test.store
        let tick = Timestamp(rawValue: 1_800_000_000_000)
        let recorded = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await store.recordTick(schedule: "s", tick: tick, job: .make("q", "t", uniqueKey: "schedule:s:\(tick.rawValue)"))
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(recorded == 1)
        #expect(try await !store.recordTick(schedule: "s", tick: Timestamp(rawValue: tick.rawValue - 1), job: .make("q", "t")))
        #expect(try await store.scheduleTicks() == ["s": tick])
        #expect(try await store.status(now: .now).queues.map(\.ready) == [1])
        await store.close()
        withExtendedLifetime(test.folder) {}
    }

    /// Two hosts tick one schedule: one job per tick, none doubled; after downtime, one job for
    /// the missed ticks.
    @Test func twoPipelinesTickASchedulesEveryTickOnceAndCatchUpWithOne() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let clock = ManualJobClock(now: Timestamp(rawValue: 1_800_000_000_000))
        let schedule = Schedule(name: "heartbeat", topic: "tick", queueID: "ops", trigger: .every(.seconds(10)))
        let settings = ConsumerSettings(concurrency: 1, lease: .seconds(30), poll: .seconds(1), grace: .seconds(1))
        func start() -> (JobPipeline, Task<Void, Never>) {
            let pipeline = JobPipeline(store: store, executor: InProcessExecutor(), settings: settings, clock: clock, logger: .quiet)
            pipeline.setSchedules([schedule])
            return (pipeline, Task { await pipeline.run() })
        }
        func jobs() async throws -> Int { try await store.status(now: clock.now).queues.map(\.ready).reduce(0, +) }
        var hosts = [start(), start()]
        #expect(try await eventually { try await store.scheduleTicks()["heartbeat"] != nil }, "the schedule starts from now")
        for expected in 1...3 {
            // Each host: lease extender, pruner, grace keeper, idle manager, ticker.
            try #require(await eventually { clock.sleepers == 10 })
            clock.advance(by: .seconds(10))
            #expect(try await eventually { try await jobs() == expected })
        }
        #expect(try await jobs() == 3, "no tick doubled")
        for (pipeline, run) in hosts {
            pipeline.shutdown()
            await run.value
        }
        // Down for a minute: six ticks missed, one job for them.
        clock.advance(by: .seconds(60))
        hosts = [start()]
        #expect(try await eventually { try await jobs() == 4 })
        try #require(await eventually { clock.sleepers == 5 })
        #expect(try await jobs() == 4)
        #expect(try await store.scheduleTicks()["heartbeat"] == Timestamp(rawValue: 1_800_000_090_000))
        for (pipeline, run) in hosts {
            pipeline.shutdown()
            await run.value
        }
    }

    /// Runs `body` with one pipeline ticking `schedule` on a fresh store, on a clock starting at `start`.
    func withPipeline(
        ticking schedule: Schedule, from start: Timestamp, lastTick: Timestamp? = nil,
        _ body: (SQLiteJobStore, ManualJobClock) async throws -> Void
    ) async throws {
        let fixture = try StoreFixture()
        if let lastTick { _ = try await fixture.store.recordTick(schedule: schedule.name, tick: lastTick, job: nil) }
        let clock = ManualJobClock(now: start)
        let pipeline = JobPipeline(
            store: fixture.store, executor: InProcessExecutor(), settings: ConsumerSettings(concurrency: 1, poll: .seconds(1)), clock: clock,
            logger: .quiet)
        pipeline.setSchedules([schedule])
        let run = Task { await pipeline.run() }
        try await body(fixture.store, clock)
        pipeline.shutdown()
        await run.value
    }

    @Test func aCronScheduleTicksAtWallClockTimesAcrossADaylightSavingChange() async throws {
        let schedule = Schedule(
            name: "nightly", topic: "report", queueID: "ops", trigger: .cron(try CronExpression("30 2 * * *"), Self.berlin))
        try await withPipeline(ticking: schedule, from: Timestamp(Self.time("2026-03-28T12:00:00Z"))) { store, clock in
            #expect(try await eventually { try await store.scheduleTicks()["nightly"] != nil })
            // 02:30 does not exist on 29 March in Berlin: it runs at 03:30 CEST, 01:30 UTC.
            for expected in ["2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"] {
                try #require(await eventually { clock.sleepers == 5 })
                clock.advance(by: Timestamp(Self.time(expected)) - clock.now)
                #expect(try await eventually { try await store.scheduleTicks()["nightly"] == Timestamp(Self.time(expected)) })
            }
            // (Stored at the real time, after the clock's: counted as scheduled at the clock's.)
            let queued = try await store.status(now: clock.now).queues.map { $0.ready + $0.scheduled }
            #expect(queued == [2])
        }
    }

    @Test func catchUpNoneSkipsTicksMissedWhileNoHostRan() async throws {
        let schedule = Schedule(name: "report", topic: "report", queueID: "ops", trigger: .every(.seconds(600)), catchUp: .none)
        let start = Timestamp(rawValue: 1_800_000_000_000)
        // The host starts 25 minutes after the last tick: the tick of 20 minutes, 5 minutes late, is
        // recorded without a job.
        try await withPipeline(ticking: schedule, from: start + .seconds(1500), lastTick: start) { store, clock in
            #expect(try await eventually { try await store.scheduleTicks()["report"] == start + .seconds(1200) })
            #expect(try await store.status(now: clock.now).queues.isEmpty)
            // On time again: the next tick's job is enqueued.
            try #require(await eventually { clock.sleepers == 5 })
            clock.advance(by: .seconds(300))
            #expect(try await eventually { try await store.status(now: clock.now).queues.map(\.ready) == [1] })
        }
    }
}
