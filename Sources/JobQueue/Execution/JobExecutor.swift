/// Runs leased jobs: the seam between the pipeline and whatever executes work (Swift handlers in
/// this process, or plugins in forked children).
///
/// The pipeline hands over one batch at a time per consumer and learns each job's completion as
/// soon as the executor has it, so a runner that dies mid-batch costs only the job it was running.
public protocol JobExecutor: Sendable {
    /// The topics this executor can run right now (`policies.topics`) with their policies, and the
    /// defaults for other topics (follow-up jobs for topics served elsewhere). Read before every
    /// scan, so an executor whose topics change (a reloaded configuration) is followed at once.
    var policies: TopicPolicies { get }

    /// Runs `batch` in order, calling `report` with each job's completion as soon as it is known.
    ///
    /// Jobs not reported when this returns go back to the queue without being charged an attempt
    /// (the runner died before reaching them, or the worker is shutting down). Task cancellation
    /// means the shutdown grace period is over: stop as soon as possible.
    func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async

    /// Which code serves now, for the host record: 1 at start, one more per reload. Executors
    /// that never reload need not implement it (0).
    var servingGeneration: Int { get }
}

extension JobExecutor {
    /// The topics this executor can run right now.
    public var servedTopics: Set<String> { Set(policies.topics.keys) }

    public var servingGeneration: Int { 0 }
}
