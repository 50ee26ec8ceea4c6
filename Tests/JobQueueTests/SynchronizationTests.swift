import JobQueueTestKit
import Synchronization
import Testing

@testable import JobQueue

/// The hand-written synchronisation types the pipeline is built from, one behaviour each, on a
/// clock the tests advance (no test waits on real time beyond a few milliseconds).
@Suite struct SynchronizationTests {
    @Test func aDoorbellRungBeforeTheWaitIsRememberedOnce() async {
        let doorbell = Doorbell()
        let clock = ManualJobClock()
        doorbell.ring()
        #expect(await doorbell.wait(upTo: .seconds(3600), on: clock))  // at once: the ring was kept
        let waited = Task { await doorbell.wait(upTo: .seconds(60), on: clock) }
        #expect(await eventually { clock.sleepers == 1 })  // the second wait does sleep
        doorbell.ring()
        #expect(await waited.value, "woken by the ring")
    }

    @Test func aDoorbellWaitEndsWhenItsTimeIsUpOrItsTaskIsCancelled() async {
        let doorbell = Doorbell()
        let clock = ManualJobClock()
        let timedOut = Task { await doorbell.wait(upTo: .seconds(60), on: clock) }
        #expect(await eventually { clock.sleepers == 1 })
        clock.advance(by: .seconds(59))
        #expect(clock.sleepers == 1)
        clock.advance(by: .seconds(1))
        #expect(await timedOut.value == false, "woken by the clock, not a ring")
        let cancelled = Task { await doorbell.wait(upTo: .seconds(60), on: clock) }
        #expect(await eventually { clock.sleepers == 1 })
        cancelled.cancel()
        _ = await cancelled.value
        #expect(clock.sleepers == 0)
    }

    @Test func aOneShotKeepsTheFirstOfferAndWakesItsWaiter() async {
        let shot = OneShot<Int>()
        let waiter = Task { await shot.value }
        shot.offer(1)
        shot.offer(2)
        #expect(await waiter.value == 1)
        #expect(await shot.value == 1)
    }

    @Test func withDeadlineReturnsTheResultThrowsPastTheDeadlineAndLetsCancellationThrough() async throws {
        #expect(try await withDeadline(.seconds(60)) { 42 } == 42)
        // A OneShot has one waiter: each given-up operation waits on its own.
        let never = OneShot<Void>()
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(5)) { await never.value }
        }
        let neverEither = OneShot<Void>()
        let cancelled = Task { try await withDeadline(nil) { await neverEither.value } }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        never.offer(())
        neverEither.offer(())
    }

    @Test func aManualClockWakesOnlyTheSleepersWhoseTimeHasCome() async throws {
        let clock = ManualJobClock(now: Timestamp(rawValue: 1_000))
        let sleepers = [10, 20].map { seconds in
            Task {
                try await clock.sleep(for: .seconds(seconds))
                return seconds
            }
        }
        #expect(await eventually { clock.sleepers == 2 })
        clock.advance(by: .seconds(15))
        #expect(try await sleepers[0].value == 10)
        #expect(clock.sleepers == 1)
        #expect(clock.now == Timestamp(rawValue: 16_000))
        sleepers[1].cancel()
        await #expect(throws: CancellationError.self) { try await sleepers[1].value }
    }

    @Test func batchRequestsServeEveryWaitingConsumerAndEndWithNil() async {
        let requests = BatchRequests()
        let consumers = (0..<3).map { _ in Task { await requests.next() } }
        var taken: [BatchRequest] = []
        while taken.count < 3 {
            guard let more = await requests.take() else { break }
            taken += more
        }
        #expect(taken.count == 3)
        for request in taken { request.resume(returning: []) }
        for consumer in consumers { #expect(await consumer.value == []) }
        requests.finish()
        #expect(await requests.next() == nil)
        #expect(await requests.take() == nil)
    }

    @Test func aSettlementBufferAppliesEverySettlementInOrderAndFinishesAfterTheLast() async {
        let applied = Recorder<[JobID]>()
        let gate = OneShot<Void>()
        let buffer = SettlementBuffer { settlements in
            await gate.value  // the first call stays in flight while more arrive
            applied.append(settlements.map(\.job))
        }
        for id in 1...4 { buffer.add(Settlement(job: JobID(rawValue: Int64(id)), lease: LeaseToken(rawValue: "l"), action: .complete)) }
        gate.offer(())
        await buffer.finish()
        #expect(applied.items.joined().map(\.rawValue) == [1, 2, 3, 4])
        #expect(applied.items.count <= 2)  // the ones that arrived during a call went together
    }

    @Test func aSettlementBufferHoldsOutcomesUntilItsBatchEnds() async throws {
        let applied = Recorder<[JobID]>()
        // A hold far longer than the test: only the batch's end can release it.
        let buffer = SettlementBuffer(hold: .seconds(600)) { settlements in applied.append(settlements.map(\.job)) }
        func settle(_ id: Int64) { buffer.add(Settlement(job: JobID(rawValue: id), lease: LeaseToken(rawValue: "l"), action: .complete)) }
        settle(1)
        try await Task.sleep(for: .milliseconds(50))  // without the hold, job 1 would be applied alone by now
        #expect(applied.items.isEmpty)
        settle(2)
        settle(3)
        await buffer.finish()
        #expect(applied.items.map { $0.map(\.rawValue) } == [[1, 2, 3]])
    }

    @Test func theLeaseRegistryHoldsALeaseUntilItsJobReports() {
        let registry = LeaseRegistry()
        let job = LeasedJob(
            id: JobID(rawValue: 1), queueID: "q", topic: "t", payload: [], priority: 100, attempt: 1, maxRetries: 3, lease: LeaseToken(rawValue: "l"))
        registry.add([job])
        #expect(registry.snapshot == [job.id: job.lease])
        registry.remove(job.id)
        #expect(registry.snapshot.isEmpty)
    }

    @Test func aCancelledJobStopsItsBatchAtOnce() {
        let running = RunningJobs()
        let jobs = (1...3).map {
            LeasedJob(
                id: JobID(rawValue: $0), queueID: "q", topic: "t", payload: [], priority: 0, attempt: 1, maxRetries: 0,
                lease: LeaseToken(rawValue: "l"), visibleAt: .now)
        }
        let stops = Atomic<Int>(0)
        let token = running.begin(jobs)
        running.report(jobs[0].id, in: token)
        #expect(Set(running.unfinished) == Set(jobs[1...].map(\.id)))
        // Cancelled before the batch could be stopped: stopped as soon as it can be.
        #expect(running.stop(holding: [jobs[2].id, JobID(rawValue: 99)]) == [jobs[2].id])
        running.attach(token) { stops.add(1, ordering: .relaxed) }
        #expect(stops.load(ordering: .relaxed) == 1)
        #expect(running.stop(holding: [jobs[2].id]).isEmpty, "a job is cancelled once")
        #expect(running.stop(holding: [jobs[1].id]) == [jobs[1].id])
        #expect(stops.load(ordering: .relaxed) == 2)
        #expect(running.stop(holding: [jobs[0].id]).isEmpty, "a finished job is not stopped")
        #expect(running.end(token) == [jobs[1].id, jobs[2].id])
    }
}
