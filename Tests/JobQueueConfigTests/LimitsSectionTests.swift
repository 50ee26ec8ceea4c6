import JobQueue
import Testing

@testable import JobQueueConfig

/// A topic's limits (`max_running`, `max_running_per_queue`, `rate`): none unless set, set in
/// `defaults:` for every topic, overridden (or lifted with `none`) per topic.
@Suite struct LimitsSectionTests {
    @Test func limitsAreReadPerTopicAndInheritedFromDefaults() throws {
        let config = try parseConfig(
            """
            defaults:
              max_running_per_queue: 2
            topics:
              email:send:
                max_running: 20
                rate: 100/s
              report:build:
                max_running_per_queue: none
                rate: 10/5m
              plain: {}
            """)
        let limits = Dictionary(uniqueKeysWithValues: config.topics.map { ($0.name, $0.policy.limits) })
        #expect(limits["email:send"] == TopicLimits(maxRunning: 20, maxRunningPerQueue: 2, rate: RateLimit(count: 100, period: .seconds(1))))
        #expect(limits["report:build"] == TopicLimits(rate: RateLimit(count: 10, period: .seconds(300))))
        #expect(limits["plain"] == TopicLimits(maxRunningPerQueue: 2))
        #expect(try parseConfig("topics:\n  t: {}\n").topics[0].policy.limits.isEmpty, "no limits unless configured")
    }

    @Test(arguments: [
        ("20/m", 20, Duration.seconds(60), "20/m"), ("5000/h", 5000, .seconds(3600), "5000/h"), ("3/1500ms", 3, .milliseconds(1500), "3/1500ms"),
        ("1/10s", 1, .seconds(10), "1/10s"), ("7/d", 7, .seconds(86_400), "7/d"),
    ])
    func ratesReadCountPerPeriod(text: String, count: Int, period: Duration, shown: String) throws {
        let rate = try #require(RateLimit(text: text))
        #expect(rate == RateLimit(count: count, period: period))
        #expect(rate.description == shown)
    }

    @Test func largeRatesAreEnforcedAsEqualOrStricterWindows() {
        #expect(RateLimit(count: 100, period: .seconds(1)).window == (100, .seconds(1)))
        let hourly = RateLimit(count: 100_000, period: .seconds(3600)).window
        #expect(hourly.count == 1000 && hourly.period == .seconds(36))
        let odd = RateLimit(count: 2500, period: .seconds(1)).window
        #expect(odd.count * 3 <= 2500 && odd.period * 3 >= .seconds(1), "three windows cover the period, with no more starts in all")
    }

    @Test func badLimitsNameTheFieldAndPointAtTheValue() {
        #expect(
            parseErrorDescription("topics:\n  t:\n    max_running: 0\n")
                == "config.yaml:3:18: topics.t.max_running must be between 1 and 1000000 or none, got 0")
        #expect(
            parseErrorDescription("topics:\n  t:\n    max_running_per_queue: many\n")
                == "config.yaml:3:28: topics.t.max_running_per_queue must be an integer, or none, got 'many'")
        #expect(
            parseErrorDescription("topics:\n  t:\n    rate: 100\n")
                == "config.yaml:3:11: topics.t.rate must be a rate like 100/s, 20/m or 5000/h, or none, got '100'")
        #expect(parseErrorDescription("defaults:\n  rate: 0/s\n")?.hasPrefix("config.yaml:2:9: defaults.rate must be a rate like") == true)
        #expect(parseErrorDescription("topics:\n  t:\n    rate: 5/0s\n")?.contains("topics.t.rate must be a rate like") == true)
    }
}
