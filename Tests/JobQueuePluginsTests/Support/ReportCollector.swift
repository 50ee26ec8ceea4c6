import JobQueue
import Synchronization

/// Collects the completions an executor reports, in order.
final class ReportCollector: Sendable {
    private let storage = Mutex<[(JobID, JobCompletion)]>([])

    var reports: [(JobID, JobCompletion)] { storage.withLock { $0 } }

    /// The completions keyed by job id number.
    var byID: [Int64: JobCompletion] {
        Dictionary(reports.map { ($0.0.rawValue, $0.1) }, uniquingKeysWith: { first, _ in first })
    }

    /// The reported outcomes keyed by job id number.
    var outcomes: [Int64: JobOutcome] { byID.mapValues(\.outcome) }

    /// The closure to hand to `JobExecutor.run`.
    var report: @Sendable (JobID, JobCompletion) async -> Void {
        { [self] id, completion in storage.withLock { $0.append((id, completion)) } }
    }
}
