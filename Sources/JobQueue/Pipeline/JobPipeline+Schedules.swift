import Foundation
import Synchronization

extension JobPipeline {
    /// Ticks the pipeline's schedules (see ``setSchedules(_:)``): at each due tick, records it and
    /// enqueues its job in one transaction, then sleeps until the next tick of any schedule (at
    /// most a minute, or until the schedules change). Every host of a store may tick the same
    /// schedules: the store's record of each schedule's last tick lets only one enqueue a tick.
    func tickSchedules() async {
        while !Task.isCancelled && !isStopping {
            let schedules = scheduled.withLock { $0 }
            if schedules.isEmpty {
                await schedulesChanged.wait()
                continue
            }
            let now = clock.now
            var next = now + .seconds(60)
            do {
                let ticks = try await store.scheduleTicks()
                for schedule in schedules {
                    try await tick(schedule, last: ticks[schedule.name], now: now)
                    if let following = schedule.tick(after: now), following < next { next = following }
                }
            } catch {
                logger.error("could not tick schedules: \(error)")
                next = now + .seconds(1)
            }
            await schedulesChanged.wait(upTo: max(next - clock.now, .milliseconds(1)), on: clock)
        }
    }

    /// Enqueues `schedule`'s due tick, if one is due and no other host got there first. A schedule
    /// seen for the first time starts from now.
    private func tick(_ schedule: Schedule, last: Timestamp?, now: Timestamp) async throws {
        guard let last else {
            _ = try await store.recordTick(schedule: schedule.name, tick: now, job: nil)
            return
        }
        guard let due = schedule.dueTick(now: now, last: last) else { return }
        // Missed ticks with `catch_up: none` are recorded as done, without a job.
        let job = schedule.catchUp == .none && now - due > Schedule.lateness ? nil : schedule.job(for: due)
        if try await store.recordTick(schedule: schedule.name, tick: due, job: job), job != nil {
            logger.debug("schedule ticked", metadata: ["schedule": "\(schedule.name)", "tick": "\(due)"])
        }
    }
}
