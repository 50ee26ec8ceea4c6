import JobQueue
import Testing

@Suite struct BatchLimitsTests {
    @Test func theLargestBatchIsTheLargestTopicSizeWithinTheBound() {
        #expect(BatchLimits(batchSize: 100).largestBatch == 100)
        #expect(BatchLimits(batchSize: 100, perTopic: ["slow": 1, "quick": 64]).largestBatch == 64)
        // The sizer may have grown a topic past a bound lowered since: the bound wins.
        #expect(BatchLimits(batchSize: 10, perTopic: ["slow": 1, "quick": 64]).largestBatch == 10)
    }
}
