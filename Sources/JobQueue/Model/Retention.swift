/// How long finished jobs are kept for inspection (`retention:` in config.yaml). Hosts prune
/// older ones in small batches, off the job path.
public struct Retention: Sendable, Equatable {
    /// Completed jobs, with their history; zero (the default) deletes them at once.
    public var completed: Duration
    /// Dead letters, counted from when they died; nil keeps them until purged.
    public var dead: Duration?

    public init(completed: Duration = .zero, dead: Duration? = .seconds(30 * 86_400)) {
        self.completed = completed
        self.dead = dead
    }
}
