import JobQueue
import Logging

/// Follows one batch through the fork server: reports each outcome the moment it arrives,
/// charges the job that was running when the child died, logs the plugin's lines and output.
struct BatchRun {
    let jobs: [LeasedJob]
    let timeout: Duration?
    let handle: BatchHandle
    let logger: Logger
    let report: @Sendable (JobID, JobCompletion) async -> Void
    /// Where a job's progress reports go.
    let progress: @Sendable (JobID, JobProgress) -> Void

    /// Runs to the batch's end; true when every job was reported. Jobs not reported go back to
    /// the queue uncharged: those after a crash, and all of them when the task is cancelled.
    func run() async -> Bool {
        let watchdog = BatchWatchdog(handle: handle, timeout: timeout)
        defer { watchdog.stop() }
        return await withTaskCancellationHandler {
            await follow(watchdog)
        } onCancel: {
            watchdog.killForCancellation()
        }
    }

    private func follow(_ watchdog: BatchWatchdog) async -> Bool {
        /// The job that has begun and not yet reported.
        var running: Int?
        /// The job output is attributed to (the child may print between jobs).
        var lastBegun: Int?
        var reported = 0
        var output: [ChildStream: OutputLineBuffer] = [.stdout: OutputLineBuffer(), .stderr: OutputLineBuffer()]

        for await event in handle.events {
            switch event {
            case .started:
                continue
            case .begin(let index):
                guard jobs.indices.contains(index) else { continue }
                running = index
                lastBegun = index
                watchdog.arm(index)
            case .outcome(let index, let outcome):
                guard jobs.indices.contains(index) else { continue }
                watchdog.disarm(index)
                running = nil
                if Task.isCancelled { return false }
                await report(jobs[index].id, outcome.completion(completedAt: .now))
                reported += 1
            case .progress(let index, let reported):
                if jobs.indices.contains(index) { progress(jobs[index].id, reported) }
            case .log(let index, let level, let message):
                logger.log(level: level, "\(message)", metadata: jobs.indices.contains(index) ? jobs[index].logMetadata : nil)
            case .output(let stream, let bytes):
                for line in output[stream, default: OutputLineBuffer()].lines(adding: bytes) {
                    logOutput(line, stream, lastBegun)
                }
            case .exited(let status):
                for stream in [ChildStream.stdout, .stderr] {
                    if let line = output[stream]?.flush() { logOutput(line, stream, lastBegun) }
                }
                guard let index = running else { return reported == jobs.count }
                let verdict = watchdog.verdict
                let job = jobs[index]
                if verdict.timedOut == index, let timeout {
                    logger.warning("job timed out; killed its batch", metadata: job.logMetadata)
                    await report(job.id, JobCompletion(.error("timed out after \(timeout.brief)"), interruption: .timedOut))
                } else if !verdict.killed {
                    logger.warning("plugin child died: \(status)", metadata: job.logMetadata)
                    await report(job.id, JobCompletion(.error(status.jobError), interruption: .crashed))
                }
                return false
            case .rejected(let reason):
                logger.error("the fork server refused the batch: \(reason)", metadata: ["topic": "\(jobs.first?.topic ?? "")"])
                return false
            case .lost(let reason):
                logger.error("batch lost: \(reason)", metadata: ["topic": "\(jobs.first?.topic ?? "")"])
                return false
            }
        }
        return false
    }

    private func logOutput(_ line: String, _ stream: ChildStream, _ index: Int?) {
        var metadata = index.map { jobs[$0].logMetadata } ?? [:]
        metadata["stream"] = "\(stream.rawValue)"
        logger.info("\(line)", metadata: metadata)
    }
}
