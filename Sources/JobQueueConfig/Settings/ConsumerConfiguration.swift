/// The `consumer:` section: how a host takes jobs from the store and runs them.
public struct ConsumerConfiguration: Sendable, Equatable {
    /// Jobs run at the same time. 1…1024, default 4.
    public var concurrency: Int
    /// Jobs leased from one queue in one go. 1…10000, default 10.
    public var batchSize: Int
    /// How long a leased job stays reserved before another host may take it. 10ms…24h,
    /// default 30s.
    public var lease: Duration
    /// How often an idle host looks for work another process enqueued. 1ms…1h, default 100ms.
    public var poll: Duration
    /// How long running jobs may finish after shutdown is requested. 0…24h, default 30s.
    public var grace: Duration
    /// Queues examined per scheduling round. 1…1000, default 10.
    public var scanWidth: Int

    public init(
        concurrency: Int = 4, batchSize: Int = 10, lease: Duration = .seconds(30),
        poll: Duration = .milliseconds(100), grace: Duration = .seconds(30), scanWidth: Int = 10
    ) {
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.lease = lease
        self.poll = poll
        self.grace = grace
        self.scanWidth = scanWidth
    }
}
