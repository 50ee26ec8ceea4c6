/// Sizes batches per topic so that one batch runs for about `target`: large enough that a child's
/// fork and a take's transaction are shared by many short jobs, small enough that jobs which take
/// time run side by side on every consumer instead of one after another in a single child.
///
/// A topic starts at one job per batch and may at most double from one batch to the next (like
/// TCP's slow start), so the first batches of a topic whose jobs are slow are never large. The
/// estimate of a job's run time follows a slower sample at once and a faster one gradually: when
/// a downstream service slows down, batches shrink at the next batch. `maximum` is the configured
/// `batch_size`. A value type, so its rules are tested without a clock.
struct BatchSizer: Sendable, Equatable {
    let target: Duration
    let maximum: Int
    private var topics: [String: Estimate] = [:]

    private struct Estimate: Sendable, Equatable {
        /// Seconds per job, smoothed.
        var perJob: Double
        var size: Int
    }

    /// Weight of a sample faster than the estimate.
    private static let decay = 0.25

    init(target: Duration, maximum: Int) {
        self.target = target
        self.maximum = max(maximum, 1)
    }

    /// How many jobs of `topic` the next batch may hold.
    func size(for topic: String) -> Int {
        topics[topic]?.size ?? 1
    }

    /// The sizes of the topics measured so far.
    var sizes: [String: Int] { topics.mapValues(\.size) }

    /// A batch of `jobs` jobs of `topic` ran for `elapsed` (from being handed to the executor to
    /// its last outcome).
    mutating func record(_ topic: String, jobs: Int, elapsed: Duration) {
        guard jobs > 0 else { return }
        let sample = max(elapsed.seconds / Double(jobs), 0)
        var estimate = topics[topic] ?? Estimate(perJob: sample, size: 1)
        estimate.perJob = sample >= estimate.perJob ? sample : estimate.perJob + Self.decay * (sample - estimate.perJob)
        let fitting = estimate.perJob > 0 ? target.seconds / estimate.perJob : Double(maximum)
        let ideal = Int(min(max(fitting, 1), Double(maximum)))
        estimate.size = min(ideal, estimate.size * 2)
        topics[topic] = estimate
    }
}
