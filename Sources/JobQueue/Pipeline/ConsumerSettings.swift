/// How a worker takes and runs jobs. Defaults follow QuiCK / Bedrock Job Queue.
public struct ConsumerSettings: Sendable, Equatable {
    /// Batches running at once; each runs its jobs one after another.
    public var concurrency: Int
    /// The most jobs in one batch (one take for one consumer, one child).
    public var batchSize: Int
    /// How long a batch should run: batches of a topic hold as many jobs (up to `batchSize`) as
    /// run in about this time, measured as the topic's jobs run. Jobs that take longer run one
    /// per batch, so every consumer gets one.
    public var batchTarget: Duration
    /// How long a batch's outcomes wait for others to share their store call (see
    /// `SettlementBuffer`): `batchTarget`, the time a batch of short jobs is sized to run, so such
    /// a batch settles in a call or two and no outcome waits longer than its batch was meant to run.
    public var settlementHold: Duration { batchTarget }
    /// How long a take leases its jobs; the extender renews every `lease / 3` while they run.
    public var lease: Duration
    /// Longest sleep between scans when nothing signals new work.
    public var poll: Duration
    /// On shutdown, how long running batches may take to finish before they are stopped.
    public var grace: Duration
    /// A take picks at random among this many of the earliest-ready queues (QuiCK's K), so that
    /// consumers and hosts don't all stampede the same queue.
    public var scanWidth: Int
    /// How often to check for commits by other processes (a cheap check, not a scan).
    public var changeCheck: Duration
    /// Stop by itself once served topics hold no ready, scheduled or running job.
    public var drain: Bool
    /// How long completed jobs and dead letters are kept; the pipeline prunes older ones.
    public var retention: Retention

    public init(
        concurrency: Int = 4, batchSize: Int = 100, lease: Duration = .seconds(30), poll: Duration = .milliseconds(100),
        grace: Duration = .seconds(30), scanWidth: Int = 10, changeCheck: Duration = .milliseconds(2), drain: Bool = false,
        batchTarget: Duration = .milliseconds(20), retention: Retention = Retention()
    ) {
        self.retention = retention
        self.concurrency = concurrency
        self.batchSize = batchSize
        self.batchTarget = batchTarget
        self.lease = lease
        self.poll = poll
        self.grace = grace
        self.scanWidth = scanWidth
        self.changeCheck = changeCheck
        self.drain = drain
    }
}
