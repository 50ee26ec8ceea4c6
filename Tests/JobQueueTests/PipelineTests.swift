import Foundation
import JobQueueTestKit
import Synchronization
import Testing

@testable import JobQueue

/// The manager → consumer → lease-extender pipeline with the in-process executor, on real files.
@Suite struct PipelineTests {
    let fixture: StoreFixture
    var store: SQLiteJobStore { fixture.store }

    init() throws { fixture = try StoreFixture() }

    /// Fast settings: short leases, polls and graces, so tests take milliseconds.
    static func settings(concurrency: Int = 2, batchSize: Int = 10, lease: Duration = .seconds(5), drain: Bool = true) -> ConsumerSettings {
        ConsumerSettings(
            concurrency: concurrency, batchSize: batchSize, lease: lease, poll: .milliseconds(20), grace: .milliseconds(500), drain: drain)
    }

    /// Runs a worker until it drains (or `timeout`), returning when it has stopped.
    func drain(_ executor: InProcessExecutor, settings: ConsumerSettings = settings(), timeout: Duration = .seconds(20)) async {
        let worker = JobPipeline(store: store, executor: executor, settings: settings, logger: .quiet)
        let run = Task { await worker.run() }
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            worker.shutdown()
        }
        await run.value
        watchdog.cancel()
    }

    static let quick = TopicPolicy(backoff: BackoffPolicy(base: .milliseconds(5), max: .milliseconds(20), jitter: 0))

    @Test func everyOutcomeIsApplied() async throws {
        let executor = InProcessExecutor()
        executor.register("t", policy: Self.quick) { job in
            switch String(decoding: job.payload, as: UTF8.self) {
            case "ok": return .ok()
            case "result": return .ok(result: Array("done".utf8))
            case "discard": return .discard("cannot ever work")
            case "fail": return .error("still broken")
            case "snooze": return job.metadata.attempt < 3 ? .snooze(.milliseconds(5)) : .ok()
            default: throw CocoaError(.featureUnsupported)
            }
        }
        _ = try await store.enqueue(["ok", "result", "discard", "fail", "snooze", "throw"].map { .make(payload: $0, maxRetries: 2) })
        await drain(executor)

        let dead = try await store.deadLetters(matching: .all, limit: nil)
        let byPayload = Dictionary(uniqueKeysWithValues: dead.map { (String(decoding: $0.payload, as: UTF8.self), $0) })
        #expect(byPayload.keys.sorted() == ["discard", "fail", "throw"])
        #expect(byPayload["discard"]?.kind == .discarded)
        #expect(byPayload["discard"]?.reason == "cannot ever work")
        #expect(byPayload["discard"]?.attempts == 1)
        // max_retries 2 means three runs in all, then the dead-letter store with the last error.
        #expect(byPayload["fail"]?.kind == .failed)
        #expect(byPayload["fail"]?.attempts == 3)
        #expect(byPayload["fail"]?.reason == "still broken")
        #expect(byPayload["throw"]?.attempts == 3)
        #expect(try await store.status(now: .now).queues.allSatisfy { $0.ready + $0.scheduled + $0.leased == 0 })
    }

    @Test func metadataReachesTheHandler() async throws {
        let seen = Mutex<[LeasedJob.Metadata]>([])
        let executor = InProcessExecutor()
        executor.register("email:send", policy: Self.quick) { job in
            seen.withLock { $0.append(job.metadata) }
            return job.metadata.attempt == 1 ? .error("first try fails") : .ok()
        }
        let id = try await JobClient(store: store).enqueue(queue: "tenant-1", topic: "email:send", payload: Array("{}".utf8))
        await drain(executor)
        #expect(
            seen.withLock { $0 } == [
                LeasedJob.Metadata(topic: "email:send", queueID: "tenant-1", itemID: id, attempt: 1),
                LeasedJob.Metadata(topic: "email:send", queueID: "tenant-1", itemID: id, attempt: 2),
            ])
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = BackoffPolicy(base: .seconds(1), max: .seconds(3600), jitter: 0.1)
        #expect(policy.delay(afterAttempt: 1, random: 0) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2, random: 0) == .seconds(2))
        #expect(policy.delay(afterAttempt: 5, random: 0) == .seconds(16))
        #expect(policy.delay(afterAttempt: 13, random: 0) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 500, random: 0) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 1, random: 1) == .milliseconds(1100))
        #expect(policy.delay(afterAttempt: 1, random: -1) == .milliseconds(900))
        for _ in 0..<100 {
            let delay = policy.delay(afterAttempt: 3)
            #expect(delay >= .milliseconds(3600) && delay <= .milliseconds(4400))
        }
    }

    @Test func aFailedRunIsRetriedAfterItsBackoff() async throws {
        _ = try await store.enqueue([.make(maxRetries: 5)])
        let worker = JobPipeline(store: store, executor: InProcessExecutor(), logger: .quiet)
        let jobs = try await store.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 1, duration: .seconds(5), owner: "w", now: .now)
        let policy = TopicPolicy(backoff: BackoffPolicy(base: .seconds(10), max: .seconds(15), jitter: 0))
        let now = Timestamp.now
        let settlement = worker.settlement(
            for: jobs[0], JobCompletion(.error("x")), duration: .zero, policies: TopicPolicies(["t": policy]), now: now)
        #expect(settlement.action == .retry(at: now + .seconds(10), error: "x"))
        var third = jobs[0]
        third.attempt = 3
        #expect(
            worker.settlement(for: third, JobCompletion(.error("x")), duration: .zero, policies: TopicPolicies(["t": policy]), now: now).action
                == .retry(at: now + .seconds(15), error: "x"))
        third.attempt = 6
        #expect(
            worker.settlement(for: third, JobCompletion(.error("x")), duration: .zero, policies: TopicPolicies(["t": policy]), now: now).action
                == .bury(.failed, reason: "x"))
    }

    @Test func followUpsAreEnqueuedOnlyWhenTheJobSucceeds() async throws {
        let executor = InProcessExecutor()
        let ran = Mutex<[String]>([])
        executor.register("order", policy: TopicPolicy(maxRetries: 0)) { job in
            job.enqueue(.make("q", "receipt", payload: "for \(String(decoding: job.payload, as: UTF8.self))"))
            return String(decoding: job.payload, as: UTF8.self) == "good" ? .ok() : .error("bad order")
        }
        executor.register("receipt") { job in
            ran.withLock { $0.append(String(decoding: job.payload, as: UTF8.self)) }
            return .ok()
        }
        _ = try await store.enqueue([.make("q", "order", payload: "good", maxRetries: 0), .make("q", "order", payload: "bad", maxRetries: 0)])
        await drain(executor)
        #expect(ran.withLock { $0 } == ["for good"])
    }

    @Test func aSuccessAskingForAFollowUpNoStoreWouldTakeIsAFailedRun() async throws {
        let executor = InProcessExecutor()
        executor.register("order", policy: TopicPolicy(maxRetries: 0)) { job in
            job.enqueue(.make("q", "receipt"))
            job.enqueue(.make("q", "receipt", uniqueKey: String(repeating: "k", count: NewJob.maxUniqueKeyBytes + 1)))
            return .ok()
        }
        let id = try await store.enqueue([.make("q", "order", maxRetries: 0)])[0]
        await drain(executor)
        let job = try #require(try await store.job(id, now: .now))
        #expect(job.state == .dead)
        #expect(job.error == "follow-up 2 refused: unique key is 1025 bytes, over the limit of 1024", "\(job)")
        #expect(try await store.status(now: .now).queues.allSatisfy { $0.topic != "receipt" }, "no follow-up was stored")
    }

    @Test func unservedTopicsStayQueuedAndCostNoScans() async throws {
        _ = try await store.enqueue((0..<20).map { .make("q\($0)", "nobody-serves-this") })
        let calls = Mutex(0)
        let executor = InProcessExecutor()
        executor.register("t") { _ in
            calls.withLock { $0 += 1 }
            return .ok()
        }
        let worker = JobPipeline(store: store, executor: executor, settings: Self.settings(drain: false), logger: .quiet)
        let run = Task { await worker.run() }
        try await Task.sleep(for: .milliseconds(200))
        worker.shutdown()
        await run.value
        let status = try await store.status(now: .now)
        #expect(status.queues.count == 20)
        #expect(status.queues.allSatisfy { $0.ready == 1 && $0.dead == 0 })
        #expect(calls.withLock { $0 } == 0)
        #expect(try await store.readyQueues(topics: ["t"], now: .now, limit: 100).isEmpty)
    }

    @Test func enqueueInTheSameProcessWakesAnIdleWorkerAtOnce() async throws {
        let started = OneShot<ContinuousClock.Instant>()
        let executor = InProcessExecutor()
        executor.register("t") { _ in
            started.offer(.now)
            return .ok()
        }
        // A long poll: only the wake-up can explain a quick start.
        let worker = JobPipeline(
            store: store, executor: executor, settings: ConsumerSettings(poll: .seconds(30), grace: .milliseconds(100)), logger: .quiet)
        let run = Task { await worker.run() }
        try await Task.sleep(for: .milliseconds(50))
        let enqueued = ContinuousClock.now
        _ = try await JobClient(store: store).enqueue(queue: "q", topic: "t", payload: [])
        let latency = await started.value - enqueued
        worker.shutdown()
        await run.value
        #expect(latency < .seconds(5))
    }

    @Test func workEnqueuedByAnotherConnectionIsNoticedWithoutPolling() async throws {
        let started = OneShot<Void>()
        let executor = InProcessExecutor()
        executor.register("t") { _ in
            started.offer(())
            return .ok()
        }
        let worker = JobPipeline(
            store: store, executor: executor, settings: ConsumerSettings(poll: .seconds(30), grace: .milliseconds(100)), logger: .quiet)
        let run = Task { await worker.run() }
        try await Task.sleep(for: .milliseconds(50))
        // A second store instance on the same file stands in for another process.
        let other = try SQLiteJobStore(.init(path: fixture.path))
        _ = try await other.enqueue([.make()])
        await started.value
        worker.shutdown()
        await run.value
    }

    /// Advances `clock` in steps, each once every host is asleep on it again (`sleepers` tasks: per
    /// host its lease extender, pruner and grace keeper, and its manager while a consumer is idle), then
    /// waits until every host has heart-beaten at the new time (extending its leases just before).
    func advance(_ clock: ManualJobClock, by step: Duration, times: Int, hosts: Int, sleepers: Int) async throws {
        for _ in 0..<times {
            try #require(await eventually { clock.sleepers == sleepers })
            clock.advance(by: step)
            let now = clock.now
            try #require(try await eventually { try await store.status(now: now).hosts.filter { $0.seenAt == now }.count == hosts })
        }
    }

    @Test func theHostRecordSaysWhichJobsRunAndWhenTheHostIsStopping() async throws {
        let finished = Mutex(false)
        let executor = InProcessExecutor()
        executor.register("slow") { _ in
            while !finished.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            return .ok()
        }
        _ = try await store.enqueue([.make("a", "slow"), .make("b", "slow"), .make("c", "slow")])
        let worker = JobPipeline(
            store: store, executor: executor, settings: ConsumerSettings(concurrency: 2, lease: .seconds(30), grace: .seconds(30)), logger: .quiet)
        let run = Task { await worker.run() }
        func host() async throws -> HostRecord? { try await store.status(now: .now).hosts.first }
        // Two consumers, one job each: two running, and the third one ready.
        #expect(try await eventually { try await host()?.running.count == 2 })
        let status = try await store.status(now: .now)
        #expect(Set(try #require(try await host()).running.map(\.queueID)).isSubset(of: ["a", "b", "c"]))
        #expect(status.queues.map(\.leased).reduce(0, +) == 2)
        #expect(try await host()?.stopping == false)

        worker.shutdown()
        #expect(try await eventually { try await host()?.stopping == true })
        #expect(try await host()?.running.count == 2)
        finished.withLock { $0 = true }
        await run.value
        #expect(try await host() == nil)
    }

    @Test func runningJobsFollowEachBatchInOrder() {
        let running = RunningJobs()
        let jobs = ["a", "b", "c"].enumerated().map { index, queue in
            LeasedJob(
                id: JobID(rawValue: Int64(index + 1)), queueID: queue, topic: "t", payload: [], priority: 0, attempt: 1, maxRetries: 0,
                lease: LeaseToken(rawValue: "x"))
        }
        let token = running.begin(jobs)
        #expect(running.queues.map(\.queueID) == ["a"])
        running.report(jobs[0].id, in: token)
        #expect(running.queues.map(\.queueID) == ["b"])
        // Reported out of order: still running b.
        running.report(jobs[2].id, in: token)
        #expect(running.queues.map(\.queueID) == ["b"])
        running.report(jobs[1].id, in: token)
        #expect(running.queues.isEmpty)
        let second = running.begin(Array(jobs.prefix(1)))
        running.end(second)
        running.end(token)
        #expect(running.queues.isEmpty)
    }

    @Test func leaseExtensionKeepsALongJobFromRunningTwice() async throws {
        let runs = Mutex(0)
        let finish = OneShot<Void>()
        let executor = InProcessExecutor()
        executor.register("slow") { _ in
            runs.withLock { $0 += 1 }
            await finish.value
            return .ok()
        }
        _ = try await store.enqueue([.make("q", "slow")])
        let clock = ManualJobClock()
        // Lease 30 s; the job runs for ten leases of clock time: only renewal (every 10 s) keeps
        // the second host away.
        let settings = ConsumerSettings(concurrency: 1, lease: .seconds(30), poll: .seconds(1), grace: .seconds(1))
        let workers = (0..<2).map { _ in JobPipeline(store: store, executor: executor, settings: settings, clock: clock, logger: .quiet) }
        let running = workers.map { worker in Task { await worker.run() } }
        #expect(await eventually { runs.withLock { $0 } == 1 })
        // Seven sleepers: the busy host's manager waits for an idle consumer, not on the clock.
        try await advance(clock, by: .seconds(10), times: 30, hosts: 2, sleepers: 7)
        #expect(runs.withLock { $0 } == 1)
        finish.offer(())
        #expect(try await eventually { try await store.status(now: clock.now).queues.isEmpty })
        for worker in workers { worker.shutdown() }
        for run in running { await run.value }
        #expect(runs.withLock { $0 } == 1)
    }

    @Test func aScheduledJobRunsWhenTheClockReachesItsTime() async throws {
        let runs = Recorder<Timestamp>()
        let executor = InProcessExecutor()
        let clock = ManualJobClock()
        executor.register("t") { _ in
            runs.append(clock.now)
            return .ok()
        }
        let due = clock.now + .seconds(3600)
        _ = try await store.enqueue([.make(visibleAt: due)])
        let worker = JobPipeline(store: store, executor: executor, settings: Self.settings(drain: false), clock: clock, logger: .quiet)
        let running = Task { await worker.run() }
        try await advance(clock, by: .seconds(3599), times: 1, hosts: 1, sleepers: 4)
        #expect(runs.items.isEmpty)
        #expect(await eventually { clock.sleepers == 4 })
        clock.advance(by: .seconds(1))
        #expect(await eventually { runs.items == [due] })
        worker.shutdown()
        await running.value
    }

    @Test func eachRunJoinsTheJobsHistoryAndKeptJobsArePrunedOnTheClock() async throws {
        let executor = InProcessExecutor()
        executor.register("t") { job in job.metadata.attempt == 1 ? .error("first run fails") : .ok() }
        let id = try await store.enqueue([.make()])[0]
        let clock = ManualJobClock()
        var settings = Self.settings(drain: false)
        settings.retention = Retention(completed: .seconds(90), dead: nil)
        let worker = JobPipeline(store: store, executor: executor, settings: settings, hostID: "host-1", clock: clock, logger: .quiet)
        let running = Task { await worker.run() }
        #expect(try await eventually { try await store.job(id, now: clock.now)?.state == .scheduled })
        try await advance(clock, by: .seconds(2), times: 1, hosts: 1, sleepers: 4)
        #expect(try await eventually { try await store.job(id, now: .now)?.state == .completed })
        let kept = try #require(try await store.job(id, now: .now))
        #expect(kept.history.map(\.outcome) == [.error, .ok])
        #expect(kept.history.map(\.attempt) == [1, 2])
        #expect(kept.history.map(\.host) == ["host-1", "host-1"])
        #expect(kept.history[0].error == "first run fails")
        // The pruner wakes every minute: at +62 s the job is 62 s old and stays; at +122 s it goes.
        try await advance(clock, by: .seconds(60), times: 1, hosts: 1, sleepers: 4)
        #expect(await eventually { clock.sleepers == 4 })
        #expect(try await store.job(id, now: .now)?.state == .completed)
        try await advance(clock, by: .seconds(60), times: 1, hosts: 1, sleepers: 4)
        #expect(try await eventually { try await store.job(id, now: .now) == nil })
        worker.shutdown()
        await running.value
    }

    @Test func aFailedRunIsRetriedWhenItsBackoffHasPassedOnTheClock() async throws {
        let runs = Mutex(0)
        let executor = InProcessExecutor()
        executor.register("t", policy: TopicPolicy(backoff: BackoffPolicy(base: .seconds(60), max: .seconds(60), jitter: 0))) { _ in
            let run = runs.withLock { runs in
                runs += 1
                return runs
            }
            return run == 1 ? .error("first run fails") : .ok()
        }
        _ = try await store.enqueue([.make()])
        let clock = ManualJobClock()
        let worker = JobPipeline(store: store, executor: executor, settings: Self.settings(drain: false), clock: clock, logger: .quiet)
        let running = Task { await worker.run() }
        #expect(await eventually { runs.withLock { $0 } == 1 })
        try await advance(clock, by: .seconds(59), times: 1, hosts: 1, sleepers: 4)
        #expect(runs.withLock { $0 } == 1)  // 59 s after the failure: still waiting
        #expect(await eventually { clock.sleepers == 4 })
        clock.advance(by: .seconds(1))
        #expect(await eventually { runs.withLock { $0 } == 2 })
        #expect(try await eventually { try await store.status(now: clock.now).queues.isEmpty })
        worker.shutdown()
        await running.value
    }

    @Test func twoWorkersNeverRunTheSameJobAtOnce() async throws {
        let running = Mutex<Set<String>>([])
        let overlaps = Mutex(0)
        let done = Mutex<[String: Int]>([:])
        let executor = InProcessExecutor()
        executor.register("t") { job in
            let key = String(decoding: job.payload, as: UTF8.self)
            if !running.withLock({ $0.insert(key).inserted }) { overlaps.withLock { $0 += 1 } }
            try? await Task.sleep(for: .microseconds(200))
            running.withLock { _ = $0.remove(key) }
            done.withLock { $0[key, default: 0] += 1 }
            return .ok()
        }
        _ = try await store.enqueue((0..<300).map { .make("q\($0 % 5)", payload: "job-\($0)") })
        let settings = Self.settings(concurrency: 3, batchSize: 7)
        let workers = (0..<2).map { _ in JobPipeline(store: store, executor: executor, settings: settings, logger: .quiet) }
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.run() } }
        }
        #expect(overlaps.withLock { $0 } == 0)
        #expect(done.withLock { $0.count } == 300)
        #expect(done.withLock { $0.values.allSatisfy { $0 == 1 } })
    }

    @Test func aNewTenantIsNotStarvedByABacklog() async throws {
        let order = Mutex<[String]>([])
        let executor = InProcessExecutor()
        executor.register("t") { job in
            order.withLock { $0.append(job.metadata.queueID) }
            return .ok()
        }
        _ = try await store.enqueue((0..<500).map { _ in .make("big") })
        // scanWidth 1: strict least-recently-served order. (A wider scan trades that strictness for
        // less contention between hosts: a newcomer then waits a random, not a fixed, few batches.)
        var settings = Self.settings(concurrency: 1, batchSize: 10, drain: true)
        settings.scanWidth = 1
        let worker = JobPipeline(store: store, executor: executor, settings: settings, logger: .quiet)
        let run = Task { await worker.run() }
        _ = await eventually { order.withLock { $0.count } >= 20 }
        let before = order.withLock { $0.count }
        _ = try await store.enqueue([.make("small")])
        await run.value
        let position = order.withLock { $0.firstIndex(of: "small")! }
        // At most a couple of batches of the backlog run before the newcomer.
        #expect(position - before <= 20)
    }

    /// Passes batches on to `inner`, telling `record` each one's size.
    struct BatchRecorder: JobExecutor {
        let inner: any JobExecutor
        let record: @Sendable (Int) -> Void
        var policies: TopicPolicies { inner.policies }

        func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
            record(batch.count)
            await inner.run(batch, report: report)
        }
    }

    @Test func sparseQueuesFillBatchesBeyondTheScanWidth() async throws {
        // 200 queues of one job each: a take's group holds as many queues as its batch may hold
        // jobs, so batches grow past `scan_width` jobs (how far is the batch sizer's business).
        _ = try await store.enqueue((0..<200).map { .make("q-\($0)") })
        let executor = InProcessExecutor()
        executor.register("t") { _ in .ok() }
        let sizes = Mutex<[Int]>([])
        var settings = Self.settings(concurrency: 1, batchSize: 50)
        settings.scanWidth = 2
        let worker = JobPipeline(
            store: store, executor: BatchRecorder(inner: executor) { size in sizes.withLock { $0.append(size) } }, settings: settings,
            logger: .quiet)
        await worker.run()
        #expect(sizes.withLock { $0.reduce(0, +) } == 200)
        #expect(sizes.withLock { $0.max() ?? 0 } > settings.scanWidth)
    }

    @Test func shutdownReleasesJobsThatDidNotStartWithoutChargingThem() async throws {
        let executor = InProcessExecutor()
        let entered = OneShot<Void>()
        executor.register("t") { _ in
            entered.offer(())
            try await Task.sleep(for: .seconds(30))  // cancelled when the grace period ends
            return .ok()
        }
        _ = try await store.enqueue((0..<5).map { _ in .make() })
        let worker = JobPipeline(
            store: store, executor: executor, settings: ConsumerSettings(concurrency: 1, batchSize: 5, grace: .milliseconds(20)), logger: .quiet)
        // A batch of five (a topic's first batches are smaller: lease it by hand), its first job
        // running when the grace period ends.
        let batch = try await store.lease(
            queue: QueueKey(queueID: "q", topic: "t"), limit: 5, duration: .seconds(30), owner: worker.hostID, now: .now)
        #expect(batch.count == 5)
        let run = Task { await worker.execute(batch).0.finish() }
        await entered.value
        run.cancel()
        await run.value
        // Nothing completed, nothing charged, nothing leased.
        let jobs = try await store.lease(queue: QueueKey(queueID: "q", topic: "t"), limit: 10, duration: .seconds(1), owner: "x", now: .now)
        #expect(jobs.count == 5)
        #expect(jobs.allSatisfy { $0.attempt == 1 })
    }

    @Test func cancellingTheTaskThatRunsTheWorkerStopsItAtOnce() async throws {
        // The job runs while the task is cancelled: unlike a graceful shutdown, cancellation does
        // not wait for it, and the worker stops although its manager was idle, waiting for a
        // consumer, when cancelled.
        let entered = OneShot<Void>()
        let finish = OneShot<Void>()
        let executor = InProcessExecutor()
        executor.register("t") { _ in
            entered.offer(())
            await finish.value
            return .ok()
        }
        _ = try await store.enqueue([.make()])
        let worker = JobPipeline(store: store, executor: executor, settings: Self.settings(concurrency: 1, drain: false), logger: .quiet)
        let run = Task { await worker.run() }
        await entered.value
        run.cancel()
        let stopped = OneShot<Bool>()
        Task {
            await run.value
            stopped.offer(true)
        }
        Task {
            try? await Task.sleep(for: .seconds(10))
            stopped.offer(false)
        }
        #expect(await stopped.value)
        finish.offer(())  // the abandoned handler may end now
        // Stopped at once, not gracefully: the running job was abandoned and went back uncharged.
        let again = try await store.lease(
            queue: QueueKey(queueID: "q", topic: "t"), limit: 1, duration: .seconds(5), owner: "test", now: .now + .seconds(1))
        #expect(again.map(\.attempt) == [1])
    }

    @Test func aRunPastItsTimeoutIsAFailedAttempt() async throws {
        let executor = InProcessExecutor()
        executor.register("t", policy: TopicPolicy(timeout: .milliseconds(30))) { _ in
            try await Task.sleep(for: .seconds(30))
            return .ok()
        }
        _ = try await store.enqueue([.make(maxRetries: 0)])
        await drain(executor)
        let dead = try await store.deadLetters(matching: .all, limit: nil)
        #expect(dead.map(\.reason) == ["timed out after 0.03 seconds"])
    }

    @Test func statusShowsServedTopicsWhileAHostRuns() async throws {
        let executor = InProcessExecutor()
        executor.register("served") { _ in .ok() }
        let worker = JobPipeline(store: store, executor: executor, settings: Self.settings(drain: false), logger: .quiet)
        let run = Task { await worker.run() }
        #expect(try await eventually { try await store.status(now: .now).servedTopics == ["served"] })
        worker.shutdown()
        await run.value
        #expect(try await store.status(now: .now).hosts.isEmpty)
    }
}
