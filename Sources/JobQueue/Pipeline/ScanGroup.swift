/// How many ready queues each take of a scan picks from (its group): `scan_width` when queues
/// hold enough ready jobs to fill a batch from a few of them, more when they hold few each, so
/// that a batch can still fill up to its bound from queues of one job each (many tenants with a
/// job or two apiece) without every scan reading a long stretch of the ready line.
///
/// It learns from the takes: how many jobs a take leased per queue it leased from. The manager
/// owns one (scans run one at a time); a value type, so its rule is tested without a store.
struct ScanGroup: Sendable, Equatable {
    /// Jobs leased per queue served, smoothed over the last takes.
    private(set) var jobsPerQueue: Double = 1

    /// Weight of the latest take.
    private static let weight = 0.5

    /// The group for batches of at most `largestBatch` jobs: enough queues to fill one at the
    /// current depth, at least `scanWidth`, at most one per job.
    func size(scanWidth: Int, largestBatch: Int) -> Int {
        let needed = (Double(largestBatch) / max(jobsPerQueue, 1)).rounded(.up)
        return max(scanWidth, min(Int(needed), largestBatch), 1)
    }

    /// A take leased `batches`.
    mutating func record(_ batches: [[LeasedJob]]) {
        var jobs = 0
        var queues = 0
        for batch in batches where !batch.isEmpty {
            jobs += batch.count
            queues += Set(batch.map(\.queueID)).count  // a batch holds one topic
        }
        guard queues > 0 else { return }
        jobsPerQueue += Self.weight * (Double(jobs) / Double(queues) - jobsPerQueue)
    }
}
