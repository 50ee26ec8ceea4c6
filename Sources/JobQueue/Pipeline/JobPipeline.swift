import Foundation
import Logging
import Synchronization

/// The QuiCK pipeline over one store: a manager that scans the pointer index and leases batches, a
/// set of consumers that hand batches to an executor and settle each outcome as it arrives, and a
/// lease extender that renews the leases of jobs still running.
///
/// `concurrency` consumers run batches side by side. A batch holds jobs of one topic, as many as
/// run in about `batchTarget` (see `BatchSizer`), so jobs that take time run one per child on
/// every consumer at once, while no-op jobs share a child up to `batchSize`.
///
/// `run()` returns after a graceful stop: `shutdown()` (or cancelling the task that runs it) stops
/// new takes, lets running batches finish within `grace`, then stops them; jobs that did not get
/// to run go back to their queues uncharged.
public final class JobPipeline: Sendable {
    /// The store the pipeline takes jobs from and settles them in.
    public let store: any JobStore
    /// Runs the leased batches; its ``JobExecutor/policies`` say which topics are served.
    public let executor: any JobExecutor
    /// How the pipeline takes and runs jobs.
    public let settings: ConsumerSettings
    /// Identifies this worker's leases and its host record.
    public let hostID: String
    /// What the pipeline reads the time from and sleeps on.
    public let clock: any JobClock
    let logger: Logger

    let doorbell = Doorbell()
    /// Rung on every change of the store: time to look for cancelled jobs among the running ones.
    let cancellationCheck = Doorbell()
    /// The schedules this pipeline ticks, and a bell rung when they change.
    let scheduled = Mutex<[Schedule]>([])
    let schedulesChanged = Doorbell()
    let leases = LeaseRegistry()
    /// How many jobs of each topic a batch may hold.
    let sizer: Mutex<BatchSizer>
    private let stopping = Atomic<Bool>(false)
    let stopSignal = Doorbell()
    /// Batches currently in the hands of the executor.
    let batchesRunning = Atomic<Int>(0)
    private let noteText = Mutex<String?>(nil)
    private let stopReason = Mutex<(any Error)?>(nil)
    /// Wakes the lease extender to publish the host record now (at most five times a second).
    let hostRecordChanged = Doorbell()
    /// The job each running batch is at, for the host record.
    let runningJobs = RunningJobs()
    /// Told of every settled run.
    let observer: (any JobPipelineObserver)?

    /// A pipeline from `store` to `executor`; nothing runs until ``run()``. `hostID` identifies its
    /// leases and its host record; `logger` receives its reports.
    public init(
        store: any JobStore, executor: any JobExecutor, settings: ConsumerSettings = ConsumerSettings(),
        hostID: String = JobPipeline.makeHostID(), clock: any JobClock = SystemJobClock(), observer: (any JobPipelineObserver)? = nil,
        logger: Logger = Logger(label: "jobqueue")
    ) {
        self.clock = clock
        self.observer = observer
        self.store = store
        self.executor = executor
        self.settings = settings
        self.sizer = Mutex(BatchSizer(target: settings.batchTarget, maximum: settings.batchSize))
        self.hostID = hostID
        self.logger = logger
    }

    /// A host id unique across processes and machines: hostname, pid and randomness.
    public static func makeHostID() -> String {
        let random = UInt32.random(in: .min ... .max)
        return "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(String(random, radix: 36))"
    }

    /// True once a stop has begun (``shutdown()``, cancellation, or a failure of the store).
    public var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Batches in the executor's hands now.
    public var runningBatches: Int { batchesRunning.load(ordering: .relaxed) }

    /// Jobs running now (started, not finished), one per running batch at most.
    public var runningJobCount: Int { runningJobs.queues.count }

    /// Why the worker stopped by itself, if it did because the store became unusable.
    public var failure: (any Error)? { stopReason.withLock { $0 } }

    /// Starts a graceful stop; `run()` returns once it is complete.
    public func shutdown() {
        if stopping.exchange(true, ordering: .acquiringAndReleasing) { return }
        logger.info("stopping: no new work; running batches have \(settings.grace) to finish")
        stopSignal.ring()
        doorbell.ring()
        hostRecordChanged.ring()
        schedulesChanged.ring()
    }

    /// Replaces the schedules this pipeline ticks (see ``Schedule``), e.g. after a reload.
    public func setSchedules(_ schedules: [Schedule]) {
        scheduled.withLock { $0 = schedules }
        schedulesChanged.ring()
    }

    /// The schedules this pipeline ticks.
    public var schedules: [Schedule] { scheduled.withLock { $0 } }

    /// Wakes the manager now, e.g. after the executor started serving new topics.
    public func wake() {
        doorbell.ring()
        hostRecordChanged.ring()
    }

    /// Publishes (or clears) a problem in this host's record, for `jobqueue status` to show.
    /// What the host record's note says now.
    public var note: String? { noteText.withLock { $0 } }

    /// Keeps the latest progress a running job reported, for the host record (see
    /// ``JobProgress``); a job no longer running is ignored.
    public func reportProgress(_ progress: JobProgress, of id: JobID) {
        if runningJobs.setProgress(progress, of: id) { hostRecordChanged.ring() }
    }

    public func setNote(_ text: String?) {
        noteText.withLock { $0 = text }
        hostRecordChanged.ring()
    }

    /// Works the queue until a stop completes: a graceful one after ``shutdown()``, a drained
    /// queue with ``ConsumerSettings/drain`` set, or a store that became unusable (then ``failure``
    /// says why); an immediate one when the calling task is cancelled (running batches are
    /// stopped at once, and jobs that did not finish go back uncharged). Call it once.
    public func run() async {
        await withTaskCancellationHandler {
            await runPipeline()
        } onCancel: {
            shutdown()
        }
    }

    private func runPipeline() async {
        let startedAt = clock.now
        let requests = BatchRequests()
        await withTaskGroup(of: Void.self) { support in
            support.addTask { await self.watchForChanges() }
            support.addTask { await self.watchForCancellations() }
            support.addTask { await self.extendLeases(startedAt: startedAt) }
            support.addTask { await self.pruneFinishedJobs() }
            support.addTask { await self.tickSchedules() }
            support.addTask { await self.manage(requests) }
            await runConsumers(requests)
            requests.finish()
            support.cancelAll()
        }
        do {
            try await store.removeHost(id: hostID)
        } catch {
            logger.error("could not remove host record: \(error)")
        }
        logger.info("stopped")
    }

    /// Runs the consumers until the manager stops them. Once a graceful stop begins, running
    /// batches get `grace`, then the consumers are cancelled (their batches stopped, the jobs
    /// that did not finish released). Cancellation reaches them at once, as it is structured.
    private func runConsumers(_ requests: BatchRequests) async {
        enum Ended { case consumer, grace }
        await withTaskGroup(of: Ended.self) { group in
            for _ in 0..<settings.concurrency {
                group.addTask {
                    await self.consume(requests)
                    return .consumer
                }
            }
            group.addTask {
                while !self.isStopping && !Task.isCancelled {
                    await self.stopSignal.wait(upTo: .seconds(3600), on: self.clock)
                }
                if !Task.isCancelled { try? await self.clock.sleep(for: self.settings.grace) }
                return .grace
            }
            var running = settings.concurrency
            for await ended in group {
                switch ended {
                case .consumer:
                    running -= 1
                    if running == 0 { group.cancelAll() }
                case .grace:
                    if running > 0 && !Task.isCancelled { logger.warning("grace period over: stopping running batches") }
                    group.cancelAll()
                }
            }
        }
    }

    /// Feeds the manager's doorbell, and the cancellation watcher's, from the store's change
    /// signal (commits by other processes).
    private func watchForChanges() async {
        for await _ in store.changes(checkingEvery: settings.changeCheck) {
            doorbell.ring()
            cancellationCheck.ring()
        }
    }

    /// How often, at most, the running jobs are checked for cancellations: a cancelled job's
    /// child is stopped within this (plus the store's change signal) of the cancel.
    static let cancellationCheckInterval: Duration = .milliseconds(100)

    /// After each change of the store while batches run (and as each batch starts, lest a cancel
    /// committed between its take and its start be missed), asks which of their unfinished jobs
    /// were cancelled (one lookup per job, at most every ``cancellationCheckInterval``), and
    /// stops the batches holding them: their other jobs go back to their queues uncharged.
    private func watchForCancellations() async {
        while !Task.isCancelled {
            await cancellationCheck.wait()
            let unfinished = runningJobs.unfinished
            if unfinished.isEmpty { continue }
            do {
                let cancelled = try await store.cancelledJobs(among: unfinished)
                for id in runningJobs.stop(holding: Set(cancelled)) {
                    logger.warning("job cancelled: stopping its batch", metadata: ["job_id": "\(id)"])
                }
            } catch {
                logger.error("could not check for cancelled jobs: \(error)")
                cancellationCheck.ring()  // again, after the pause below
            }
            try? await Task.sleep(for: Self.cancellationCheckInterval)
        }
    }

    /// Renews the leases of unfinished jobs every `lease / 3`, and this host's record with them;
    /// publishes the record between renewals too when it changes (the jobs running, the note, a
    /// stop beginning), at most five times a second.
    private func extendLeases(startedAt: Timestamp) async {
        let interval = settings.lease / 3
        var extendedAt: Timestamp?
        while !Task.isCancelled {
            let now = clock.now
            do {
                try await store.checkHealth()
            } catch {
                if Task.isCancelled { return }
                logger.critical("\(error)")
                stopReason.withLock { $0 = error }
                shutdown()
                return
            }
            do {
                if extendedAt.map({ now - $0 >= interval }) ?? true {
                    let held = leases.snapshot
                    if !held.isEmpty {
                        try await store.extend(held, until: now + settings.lease)
                    }
                    extendedAt = now
                }
                let host = HostRecord(
                    id: hostID, hostname: ProcessInfo.processInfo.hostName, pid: getpid(),
                    topics: executor.servedTopics.sorted(), startedAt: startedAt, seenAt: now, note: note,
                    running: runningJobs.queues.sorted { ($0.queueID, $0.topic) < ($1.queueID, $1.topic) }, stopping: isStopping,
                    generation: executor.servingGeneration, progress: runningJobs.progress)
                try await store.heartbeat(host, ttl: settings.lease)
            } catch {
                // Cancelled mid-write by the end of a run: nothing failed.
                if Task.isCancelled { return }
                logger.error("lease extension failed: \(error)")
            }
            let due = (extendedAt ?? now) + interval
            await hostRecordChanged.wait(upTo: due - now, on: clock)
            // Woken early by a change: the records of a busy host are spaced out.
            let early = due - clock.now
            if early > .zero { try? await clock.sleep(for: min(early, .milliseconds(200))) }
        }
    }
}
