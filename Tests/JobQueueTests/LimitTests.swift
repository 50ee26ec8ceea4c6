import JobQueue
import Testing

/// The rules of topics' limits, apart from any store: the rate window's arithmetic and what
/// `status` reports as held back.
@Suite struct LimitTests {
    let rate = RateLimit(count: 3, period: .seconds(1))
    let t0 = Timestamp(rawValue: 1_000_000)

    @Test func aRateWindowCountsTheStartsOfTheLastPeriod() {
        var window = RateWindow([], rate: rate)
        #expect(window.allowance(at: t0) == 3)
        window.record(2, at: t0)
        window.record(1, at: t0 + .milliseconds(400))
        #expect(window.allowance(at: t0 + .milliseconds(999)) == 0)
        #expect(window.opening(at: t0 + .milliseconds(999)) == t0 + .seconds(1), "the two oldest leave the window one period later")
        #expect(window.allowance(at: t0 + .seconds(1)) == 2, "a start exactly one period ago is out of the window")
        window.record(2, at: t0 + .seconds(1))
        #expect(window.starts.count == 3, "starts that left the window are forgotten")
        #expect(window.opening(at: t0 + .seconds(1)) == t0 + .milliseconds(1400))
    }

    @Test func aStartIsNeverRecordedBeforeTheLastOne() {
        var window = RateWindow([], rate: rate)
        window.record(3, at: t0 + .seconds(5))
        // A host whose clock is behind counts from the last start, not from its own time.
        #expect(window.allowance(at: t0) == 0)
        window.record(0, at: t0)
        #expect(window.opening(at: t0) == t0 + .seconds(6))
    }

    @Test func aTopicBelowMaxRunningStartsWhatItsRateAllows() {
        let limits = TopicLimits(maxRunning: 4, rate: rate)
        #expect(limits.allowance(TopicUsage(running: 3), now: t0) == 3, "a batch below max_running may hold what the rate allows")
        #expect(limits.allowance(TopicUsage(running: 3, starts: [t0, t0]), now: t0) == 1)
        #expect(TopicLimits(maxRunning: 4).allowance(TopicUsage(running: 3), now: t0) == .max, "a batch counts once, whatever it holds")
        let busy = TopicUsage(running: 4, earliestExpiry: t0 + .seconds(20), starts: [t0, t0, t0])
        #expect(limits.allowance(busy, now: t0) == 0)
        #expect(limits.reopening(busy, now: t0) == t0 + .seconds(20), "held by both: free when both are")
        #expect(TopicLimits.none.allowance(busy, now: t0) == .max)
    }

    @Test func aBatchCountsOnceForMaxRunningAndMaxRunningPerQueue() {
        let a = QueueKey(queueID: "a", topic: "t")
        let b = QueueKey(queueID: "b", topic: "t")
        var allowance = TakeAllowance(["t": TopicLimits(maxRunning: 2, maxRunningPerQueue: 1)])
        let open = allowance.open("t", usage: TopicUsage(running: 1), now: t0)
        #expect(open)
        allowance.setRunning([a: 0, b: 0])
        allowance.startBatch()
        #expect(allowance.room(for: a, upTo: 10) == 10)
        allowance.charge(a, 10)
        #expect(allowance.room(for: a, upTo: 10) == 10, "the same batch may take more of a queue it holds")
        #expect(allowance.room(for: b, upTo: 10) == 10, "and of another queue, once the topic counts it")
        allowance.charge(b, 3)
        allowance.startBatch()
        #expect(allowance.room(for: a, upTo: 10) == 0, "a queue at max_running_per_queue joins no other batch")
        #expect(allowance.room(forTopic: "t", upTo: 10) == 0, "the topic's second batch reached max_running")
        #expect(allowance.heldQueues == [a, b])
    }

    @Test func statusReportsWhatEachLimitHoldsBack() {
        let host = HostRecord(
            id: "h", hostname: "h", pid: 1, topics: ["mail", "hooks"], startedAt: t0, seenAt: t0,
            running: [QueueKey(queueID: "a", topic: "mail"), QueueKey(queueID: "a", topic: "mail"), QueueKey(queueID: "b", topic: "mail")]
                + [QueueKey(queueID: "b", topic: "mail"), QueueKey(queueID: "c", topic: "mail")])
        let status = StoreStatus(
            queues: [
                QueueCounts(queueID: "a", topic: "mail", ready: 5, leased: 2), QueueCounts(queueID: "b", topic: "mail", ready: 0, leased: 2),
                QueueCounts(queueID: "c", topic: "mail", ready: 1, leased: 3), QueueCounts(queueID: "a", topic: "hooks", ready: 9),
            ], hosts: [host], rateWindows: ["hooks": [t0, t0 + .milliseconds(10), t0 + .milliseconds(20)]])
        let holds = status.holds(
            ["mail": TopicLimits(maxRunning: 5, maxRunningPerQueue: 2), "hooks": TopicLimits(rate: rate)], now: t0 + .milliseconds(500))
        #expect(
            holds == [
                LimitHold(topic: "hooks", limit: .rate, value: "3/s", running: 3, ready: 9),
                LimitHold(topic: "mail", limit: .maxRunning, value: "5", running: 5, ready: 6),
                LimitHold(topic: "mail", queueID: "a", limit: .maxRunningPerQueue, value: "2", running: 2, ready: 5),
            ], "queue b has nothing waiting, queue c has room: one of its three leased jobs runs (one batch)")
        #expect(status.holds(["hooks": TopicLimits(rate: rate)], now: t0 + .seconds(2)).isEmpty, "the window has slid")
    }
}
