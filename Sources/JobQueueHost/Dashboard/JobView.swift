import JobQueue

/// A job as `jobqueue jobs show --json` and the dashboard's `/api/jobs/ID` give it: its fields,
/// times in RFC 3339, its payload as text (unless hidden), and its runs.
public struct JobView: Encodable, Sendable {
    public struct Run: Encodable, Sendable {
        var attempt: Int
        var outcome: String
        var error: String?
        var host: String
        var finishedAt: String
        var durationMs: Int64?
    }

    var id: Int64
    var queue: String, topic: String, state: String
    var deadKind: String?
    var priority: Int, attempts: Int, maxRetries: Int
    var createdAt: String
    /// When it may run (ready, scheduled), its lease runs out (leased), it died or completed.
    var at: String
    var error: String?
    /// Nil when hidden (`http.show_payloads` off).
    var payload: String?
    var history: [Run]
    /// The latest progress its plugin reported, while it runs.
    var progress: JobProgress?

    /// `job`, its payload left out unless `showPayload`.
    public init(_ job: JobRecord, showPayload: Bool = true, progress: JobProgress? = nil) {
        self.progress = progress
        id = job.id.rawValue
        queue = job.queueID
        topic = job.topic
        state = job.state.rawValue
        deadKind = job.deadKind?.rawValue
        priority = job.priority
        attempts = job.attempts
        maxRetries = job.maxRetries
        createdAt = job.createdAt.description
        at = job.at.description
        error = job.error
        payload = showPayload ? String(decoding: job.payload, as: UTF8.self) : nil
        history = job.history.map {
            Run(
                attempt: $0.attempt, outcome: $0.outcome.rawValue, error: $0.error, host: $0.host, finishedAt: $0.finishedAt.description,
                durationMs: $0.duration?.milliseconds)
        }
    }
}
