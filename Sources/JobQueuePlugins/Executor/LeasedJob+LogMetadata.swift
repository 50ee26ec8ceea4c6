import JobQueue
import Logging

extension LeasedJob {
    /// The fields every log line about this run carries.
    var logMetadata: Logger.Metadata {
        ["job_id": "\(id)", "queue_id": "\(queueID)", "topic": "\(topic)", "attempt": "\(attempt)"]
    }
}
