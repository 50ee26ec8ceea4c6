import Testing

@testable import JobQueue

/// The batch sizer's rules, with measured run times given, not slept.
@Suite struct BatchSizerTests {
    let sizer = BatchSizer(target: .milliseconds(20), maximum: 100)

    @Test func aTopicStartsAtOneJobAndAtMostDoubles() {
        var sizer = sizer
        #expect(sizer.size(for: "noop") == 1)
        var sizes: [Int] = []
        for _ in 0..<9 {
            let size = sizer.size(for: "noop")
            sizer.record("noop", jobs: size, elapsed: .microseconds(10 * size))
            sizes.append(sizer.size(for: "noop"))
        }
        #expect(sizes == [2, 4, 8, 16, 32, 64, 100, 100, 100])
    }

    @Test func jobsThatTakeTimeRunOnePerBatch() {
        var sizer = sizer
        sizer.record("slow", jobs: 1, elapsed: .milliseconds(500))
        #expect(sizer.size(for: "slow") == 1)
        sizer.record("slow", jobs: 1, elapsed: .milliseconds(20))
        #expect(sizer.size(for: "slow") == 1)
    }

    @Test func batchesAimAtTheTarget() {
        var sizer = sizer
        for _ in 0..<20 {
            let size = sizer.size(for: "ms")
            sizer.record("ms", jobs: size, elapsed: .milliseconds(size))  // 1 ms a job
        }
        #expect(sizer.size(for: "ms") == 20)
    }

    @Test func aSlowdownShrinksTheNextBatchAtOnceAndRecoveryIsGradual() {
        var sizer = sizer
        for _ in 0..<10 {
            let size = sizer.size(for: "api")
            sizer.record("api", jobs: size, elapsed: .microseconds(100 * size))
        }
        #expect(sizer.size(for: "api") == 100)
        sizer.record("api", jobs: 100, elapsed: .seconds(10))  // 100 ms a job
        #expect(sizer.size(for: "api") == 1)
        sizer.record("api", jobs: 1, elapsed: .microseconds(100))
        #expect(sizer.size(for: "api") == 1)  // 75 ms a job, smoothed
    }

    @Test func theConfiguredBatchSizeIsTheBound() {
        var sizer = BatchSizer(target: .milliseconds(20), maximum: 1)
        sizer.record("noop", jobs: 1, elapsed: .nanoseconds(1))
        sizer.record("noop", jobs: 1, elapsed: .zero)
        #expect(sizer.size(for: "noop") == 1)
        #expect(sizer.sizes == ["noop": 1])
    }

    @Test func topicsAreSizedApart() {
        var sizer = sizer
        sizer.record("slow", jobs: 1, elapsed: .milliseconds(200))
        sizer.record("fast", jobs: 1, elapsed: .microseconds(10))
        #expect(sizer.sizes == ["slow": 1, "fast": 2])
    }
}
