import Foundation
import Testing

@testable import JobQueue

/// What every store requires of a job, apart from any store: the bounds a PostgreSQL `integer`
/// column sets on priority and retry limit, and the field each problem names.
@Suite struct NewJobValidationTests {
    func job(priority: Int? = nil, maxRetries: Int? = nil) -> NewJob {
        NewJob(queueID: "q", topic: "t", payload: [], priority: priority, maxRetries: maxRetries)
    }

    @Test func priorityAndMaxRetriesMustFitA32BitInteger() {
        #expect(job(priority: Int(Int32.min)).validationError() == nil)
        #expect(job(priority: Int(Int32.max), maxRetries: Int(Int32.max)).validationError() == nil)
        #expect(
            job(priority: 3_000_000_000).validationProblem()
                == .init(field: "priority", reason: "priority must be between -2147483648 and 2147483647, got 3000000000"))
        #expect(job(priority: Int(Int32.min) - 1).validationProblem()?.field == "priority")
        #expect(
            job(maxRetries: Int(Int32.max) + 1).validationProblem()
                == .init(field: "max_retries", reason: "max retries is 2147483648, over the limit of 2147483647"))
        #expect(job(maxRetries: -1).validationProblem() == .init(field: "max_retries", reason: "max retries must be 0 or more, got -1"))
        #expect(throws: StoreError.invalidJob("priority must be between -2147483648 and 2147483647, got 3000000000")) {
            try NewJob.validate([job(), job(priority: 3_000_000_000)])
        }
    }

    @Test func eachProblemNamesItsJSONField() {
        let problems: [(NewJob, String)] = [
            (NewJob(queueID: "", topic: "t", payload: []), "queue"),
            (NewJob(queueID: "q", topic: "\u{7}", payload: []), "topic"),
            (NewJob(queueID: "q", topic: "t", payload: [], uniqueKey: ""), "unique_key"),
            (NewJob(queueID: "q", topic: "t", payload: [], uniqueFor: .seconds(1)), "unique_for"),
        ]
        for (job, field) in problems {
            #expect(job.validationProblem()?.field == field, "\(job)")
            #expect(NewJob.jsonFields.contains(field))
        }
        #expect(NewJob(queueID: "q", topic: "t", payload: [1, 2]).validationProblem(maxPayload: 1)?.field == "payload")
    }

    @Test func aJSONJobOutOfRangeIsAnErrorNamingJobAndField() {
        #expect(throws: NewJob.JSONError(job: 2, field: "priority", reason: "priority must be between -2147483648 and 2147483647, got 3000000000")) {
            try NewJob.fromJSON(
                Data(#"[{"queue": "q", "topic": "t"}, {"queue": "q", "topic": "t", "priority": 3000000000}]"#.utf8), allowingArray: true)
        }
    }
}
