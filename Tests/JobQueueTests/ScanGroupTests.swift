import Testing

@testable import JobQueue

/// The scan group's rule, with takes given rather than run.
@Suite struct ScanGroupTests {
    /// `count` jobs of each of `queues` queues, as one batch.
    func batch(_ queues: Int, jobsEach count: Int) -> [LeasedJob] {
        (0..<queues).flatMap { queue in
            (0..<count).map { index in
                LeasedJob(
                    id: JobID(rawValue: Int64(queue * 1000 + index)), queueID: "q-\(queue)", topic: "t", payload: [], priority: 0, attempt: 1,
                    maxRetries: 3, lease: LeaseToken(rawValue: "host#1"))
            }
        }
    }

    @Test func queuesOfOneJobEachWidenTheGroupToTheBatch() {
        var group = ScanGroup()
        group.record([batch(10, jobsEach: 1)])
        #expect(group.size(scanWidth: 10, largestBatch: 100) == 100)
    }

    @Test func deepQueuesKeepTheScanWidth() {
        var group = ScanGroup()
        for _ in 0..<5 { group.record([batch(5, jobsEach: 20), batch(1, jobsEach: 100)]) }
        // 200 jobs from 6 queues: three queues fill a batch.
        #expect(group.size(scanWidth: 10, largestBatch: 100) == 10)
    }

    @Test func theGroupFollowsTheDepthOfTheQueuesServed() {
        var group = ScanGroup()
        for _ in 0..<5 { group.record([batch(1, jobsEach: 100)]) }
        #expect(group.size(scanWidth: 10, largestBatch: 100) == 10)
        for _ in 0..<20 { group.record([batch(50, jobsEach: 2)]) }
        #expect(group.size(scanWidth: 10, largestBatch: 100) == 50)
        // Empty takes (stale pointers) teach nothing; small batches need no wide group.
        group.record([[], []])
        #expect(group.size(scanWidth: 10, largestBatch: 100) == 50)
        #expect(group.size(scanWidth: 10, largestBatch: 4) == 10)
    }
}
