/// How much work each scenario does at each run size. The full sizes are those of the issue; the
/// others keep every scenario but shrink its numbers (the table always says what was run).
struct Sizes: Sendable {
    /// Machine limits: rows for the batched raw SQLite figure, rows for the one-row-per-transaction
    /// figure, and how long to count fsyncs.
    var rawBatchedRows: Int
    var rawSingleRows: Int
    var fsyncSeconds: Double
    /// Enqueue: jobs for one-job-per-transaction runs, and for batched runs.
    var singleEnqueues: Int
    var batchedEnqueues: Int
    /// End to end: jobs drained per cell (batch 1 cells may use fewer: they are 10–100× slower).
    var drainJobs: Int
    var drainJobsBatch1: Int
    /// Jobs that take time: jobs of 1, 20 and 200 ms; the mix's no-op and 200 ms jobs; how long
    /// the jobs of the three cases take; start latency samples while the host is busy.
    var timedJobs1ms: Int
    var timedJobs20ms: Int
    var timedJobs200ms: Int
    var timedMixNoop: Int
    var timedMix200ms: Int
    var timedCaseMilliseconds: Int
    var timedLatencySamples: Int
    /// Start latency: samples through a second process, and through the `jobqueue` binary.
    var latencySamples: Int
    var cliSamples: Int
    /// Tenant scale: idle queues present, and the queue counts the jobs are spread over.
    var idleQueues: Int
    var tenantQueues: [Int]
    var tenantJobs: Int
    /// Rounds of the single-queue figure with and without the idle queues (medians are compared).
    var idleCostRounds: Int
    /// Fairness: the big tenant's backlog, the number of newcomers, and the window the spread
    /// newcomers arrive in.
    var backlog: Int
    var newcomers: Int
    var spreadSeconds: Double
    /// Memory: jobs queued while the real host runs, and for how long it runs.
    var memoryJobs: Int
    var memorySeconds: Double

    static func of(_ size: Options.Size) -> Sizes {
        switch size {
        case .full:
            Sizes(
                rawBatchedRows: 200_000, rawSingleRows: 3_000, fsyncSeconds: 1,
                singleEnqueues: 4_000, batchedEnqueues: 100_000,
                drainJobs: 20_000, drainJobsBatch1: 20_000,
                timedJobs1ms: 4_000, timedJobs20ms: 400, timedJobs200ms: 40, timedMixNoop: 2_000, timedMix200ms: 80,
                timedCaseMilliseconds: 500, timedLatencySamples: 100,
                latencySamples: 200, cliSamples: 20,
                idleQueues: 1_000_000, tenantQueues: [1, 1_000, 100_000], tenantJobs: 20_000, idleCostRounds: 3,
                backlog: 200_000, newcomers: 100, spreadSeconds: 1,
                memoryJobs: 1_000_000, memorySeconds: 3)
        case .quick:
            Sizes(
                rawBatchedRows: 50_000, rawSingleRows: 1_000, fsyncSeconds: 0.3,
                singleEnqueues: 1_000, batchedEnqueues: 20_000,
                drainJobs: 5_000, drainJobsBatch1: 1_000,
                timedJobs1ms: 1_000, timedJobs20ms: 200, timedJobs200ms: 20, timedMixNoop: 1_000, timedMix200ms: 40,
                timedCaseMilliseconds: 500, timedLatencySamples: 30,
                latencySamples: 40, cliSamples: 5,
                idleQueues: 100_000, tenantQueues: [1, 1_000, 100_000], tenantJobs: 5_000, idleCostRounds: 1,
                backlog: 100_000, newcomers: 100, spreadSeconds: 1,
                memoryJobs: 100_000, memorySeconds: 1)
        case .smoke:
            Sizes(
                rawBatchedRows: 2_000, rawSingleRows: 50, fsyncSeconds: 0.05,
                singleEnqueues: 50, batchedEnqueues: 2_000,
                drainJobs: 200, drainJobsBatch1: 40,
                timedJobs1ms: 40, timedJobs20ms: 8, timedJobs200ms: 4, timedMixNoop: 100, timedMix200ms: 4,
                timedCaseMilliseconds: 20, timedLatencySamples: 5,
                latencySamples: 5, cliSamples: 1,
                idleQueues: 1_000, tenantQueues: [1, 10, 100], tenantJobs: 200, idleCostRounds: 1,
                backlog: 3_000, newcomers: 10, spreadSeconds: 0.2,
                memoryJobs: 2_000, memorySeconds: 0.3)
        }
    }
}
