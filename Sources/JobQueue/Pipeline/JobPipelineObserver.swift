/// Told of each run the pipeline settles, as it settles it: one call per finished run, the way
/// Oban emits one telemetry event per job transition. Metrics hang off it.
///
/// Calls come from the pipeline's consumers, one per run, possibly from several at once: keep
/// them quick and thread-safe.
public protocol JobPipelineObserver: Sendable {
    /// `job`'s run ended as `completion` says, after running for `duration`.
    func jobRan(_ job: LeasedJob, _ completion: JobCompletion, duration: Duration)
}
