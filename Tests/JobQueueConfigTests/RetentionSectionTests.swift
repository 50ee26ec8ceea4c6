import JobQueue
import Testing

@testable import JobQueueConfig

/// `retention:`: completed jobs are deleted at once and dead letters kept 30 days unless it says
/// otherwise; `dead: none` keeps them until purged.
@Suite struct RetentionSectionTests {
    @Test func defaultsDeleteCompletedJobsAndKeepDeadLettersThirtyDays() throws {
        #expect(try parseConfig("").retention == Retention(completed: .zero, dead: .seconds(30 * 86_400)))
        #expect(
            try parseConfig("retention: { completed: 1h, dead: 7d }\n").retention == Retention(completed: .seconds(3600), dead: .seconds(7 * 86_400)))
        #expect(try parseConfig("retention: { dead: none }\n").retention == Retention(completed: .zero, dead: nil))
    }

    @Test func badValuesNameTheField() {
        #expect(
            parseErrorDescription("retention:\n  completed: soon\n")
                == "config.yaml:2:14: retention.completed must be a duration like 30s or 1500ms, got 'soon'")
        #expect(parseErrorDescription("retention: { dead: 0s }\n")?.hasPrefix("config.yaml:1:20: retention.dead must be between 1s and") == true)
        #expect(parseErrorDescription("retention: { kept: 1d }\n")?.contains("unknown key 'kept' in retention") == true)
    }
}
