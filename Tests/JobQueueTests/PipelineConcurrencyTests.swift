import Foundation
import JobQueueTestKit
import Synchronization
import Testing

@testable import JobQueue

/// `concurrency: N` means N jobs running at once, for jobs that take time: no consumer sits idle
/// while a ready job waits, in the store or unstarted on this host.
///
/// The jobs here take a little time (30 ms, longer than a batch's target of 20 ms, as a real job
/// calling a service would) and then hold until enough of them run side by side (a rendezvous),
/// so the tests assert no timing: a pipeline that ran them one after another would leave each
/// waiting for company that never comes, and the rendezvous gives up after a while and records
/// the failure.
@Suite struct PipelineConcurrencyTests {
    let fixture: StoreFixture
    var store: SQLiteJobStore { fixture.store }

    init() throws { fixture = try StoreFixture() }

    /// Jobs meet in rounds of `size`: each waits until its round is full, or gives up.
    final class Rendezvous: Sendable {
        private struct State {
            var arrived = 0
            var running = 0
            var mostRunning = 0
            var gaveUp = 0
            var waiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
        }

        let size: Int
        private let state = Mutex(State())

        init(size: Int) { self.size = size }

        var mostRunning: Int { state.withLock { $0.mostRunning } }
        var gaveUp: Int { state.withLock { $0.gaveUp } }

        func meet(work: Duration = .milliseconds(30), patience: Duration = .seconds(2)) async {
            try? await Task.sleep(for: work)
            let round = state.withLock { state in
                state.arrived += 1
                state.running += 1
                state.mostRunning = max(state.mostRunning, state.running)
                return (state.arrived - 1) / size
            }
            let full = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await self.wait(round); return true
                }
                group.addTask {
                    try? await Task.sleep(for: patience); return false
                }
                let first = await group.next()!
                if !first { self.release(round) }  // lets the waiting task end
                group.cancelAll()
                return first
            }
            state.withLock { state in
                state.running -= 1
                if !full { state.gaveUp += 1 }
            }
        }

        private func wait(_ round: Int) async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.waiters[round, default: []].append(continuation)
                    guard state.waiters[round]!.count >= size else { return [] }
                    return state.waiters.removeValue(forKey: round)!
                }
                for waiter in ready { waiter.resume() }
            }
        }

        private func release(_ round: Int) {
            let waiting = state.withLock { $0.waiters.removeValue(forKey: round) ?? [] }
            for waiter in waiting { waiter.resume() }
        }
    }

    func drain(_ executor: InProcessExecutor, concurrency: Int, batchSize: Int = 10) async {
        let settings = ConsumerSettings(concurrency: concurrency, batchSize: batchSize, poll: .milliseconds(20), grace: .seconds(1), drain: true)
        let worker = JobPipeline(store: store, executor: executor, settings: settings, logger: .quiet)
        await worker.run()
    }

    @Test(arguments: [1, 8])
    func jobsOfOneTopicRunOnEveryConsumer(queues: Int) async throws {
        let rendezvous = Rendezvous(size: 4)
        let executor = InProcessExecutor()
        executor.register("slow") { _ in
            await rendezvous.meet()
            return .ok()
        }
        _ = try await store.enqueue((0..<8).map { .make("tenant-\($0 % queues)", "slow") })
        await drain(executor, concurrency: 4)
        #expect(rendezvous.gaveUp == 0)
        #expect(rendezvous.mostRunning == 4)
        #expect(try await store.status(now: .now).queues.isEmpty)
    }

    @Test func aSlowTopicDoesNotHoldBackAnotherTopicTakenWithIt() async throws {
        // One slow job waits for all the quick jobs: with both topics leased together, the quick
        // ones must run beside it, not after it.
        let quickDone = Mutex(0)
        let allQuickDone = OneShot<Void>()
        let executor = InProcessExecutor()
        executor.register("quick") { _ in
            if quickDone.withLock({
                $0 += 1; return $0
            }) == 12 {
                allQuickDone.offer(())
            }
            return .ok()
        }
        let slowWaited = Mutex<Bool?>(nil)
        executor.register("slow") { _ in
            let timer = Task {
                try? await Task.sleep(for: .seconds(60))  // only when the quick jobs are held back
                allQuickDone.offer(())
            }
            await allQuickDone.value
            timer.cancel()
            slowWaited.withLock { $0 = quickDone.withLock { $0 } == 12 }
            return .ok()
        }
        _ = try await store.enqueue([.make("tenant", "slow")] + (0..<12).map { _ in .make("tenant", "quick") })
        await drain(executor, concurrency: 2)
        #expect(slowWaited.withLock { $0 } == true)
    }
}
