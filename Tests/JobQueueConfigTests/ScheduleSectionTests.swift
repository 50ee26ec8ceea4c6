import Foundation
import JobQueue
import Testing

@testable import JobQueueConfig

@Suite("Configuration: schedules")
struct ScheduleSectionTests {
    @Test func schedulesAreReadInFileOrderWithTheirDefaults() throws {
        let configuration = try parseConfig(
            """
            schedules:
              nightly-report:
                topic: report:build
                queue: ops
                cron: "0 3 * * *"
                timezone: Europe/Berlin
                payload: { kind: nightly, days: [1, 2] }
                priority: 50
                max_retries: 1
              heartbeat: { topic: ping, queue: ops, every: 30s, catch_up: none }
            """)
        let nightly = try #require(configuration.schedules.first)
        #expect(nightly.name == "nightly-report")
        #expect(nightly.trigger == .cron(try CronExpression("0 3 * * *"), TimeZone(identifier: "Europe/Berlin")!))
        #expect(String(decoding: nightly.payload, as: UTF8.self) == #"{"kind":"nightly","days":[1,2]}"#)
        #expect((nightly.priority, nightly.maxRetries, nightly.catchUp) == (50, 1, .one))
        let heartbeat = configuration.schedules[1]
        #expect(heartbeat.trigger == .every(.seconds(30)))
        #expect(heartbeat.catchUp == .none)
        #expect(String(decoding: heartbeat.payload, as: UTF8.self) == "{}")
    }

    @Test(arguments: [
        (
            "schedules:\n  s: { topic: t, queue: q, cron: '0 3 * *' }",
            "config.yaml:2:34: schedules.s.cron: a cron expression has five fields (minute hour day-of-month month day-of-week), got 4"
        ),
        (
            "schedules:\n  s: { topic: t, queue: q, cron: '61 * * * *' }",
            "config.yaml:2:34: schedules.s.cron: minute field '61': '61' is not a minute (0-59)"
        ),
        (
            "schedules:\n  s: { topic: t, queue: q, cron: '0 3 * * *', timezone: Mars/Olympus }",
            "config.yaml:2:57: schedules.s.timezone: unknown time zone 'Mars/Olympus' (an IANA name like Europe/Berlin)"
        ),
        ("schedules:\n  s: { topic: t, queue: q, every: 500ms }", "config.yaml:2:35: schedules.s.every must be between 1s and 366d, got 500ms"),
        (
            "schedules:\n  s: { topic: t, queue: q, every: soon }",
            "config.yaml:2:35: schedules.s.every must be a duration like 30s or 1500ms, got 'soon'"
        ),
        ("schedules:\n  s: { topic: t, queue: q }", "config.yaml:2:6: schedule 's' needs one of 'cron:' or 'every:'"),
        ("schedules:\n  s: { topic: t, queue: q, every: 1m, cron: '* * * * *' }", "config.yaml:2:6: schedule 's' needs one of 'cron:' or 'every:'"),
        ("schedules:\n  s: { queue: q, every: 1m }", "config.yaml:2:6: schedule 's' needs 'topic:'"),
        ("schedules:\n  s: { topic: t, queue: q, every: 1m, timezone: UTC }", "config.yaml:2:49: schedules.s.timezone goes with cron:, not every:"),
        (
            "schedules:\n  s: { topic: t, queue: q, every: 1m, catch_up: all }",
            "config.yaml:2:49: schedules.s.catch_up must be one of one, none, got 'all'"
        ),
        (
            "schedules:\n  s: { topic: t, queue: q, every: 1m, when: now }",
            "config.yaml:2:39: unknown key 'when' in schedules.s (expected one of: topic, queue, cron, every, timezone, payload, priority, max_retries, catch_up)"
        ),
    ])
    func badSchedulesAreOneLineErrorsAtTheirValue(yaml: String, expected: String) {
        #expect(parseErrorDescription(yaml) == expected)
    }
}
