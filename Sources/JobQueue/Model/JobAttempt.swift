import Foundation

/// One run of a job, as its history keeps it: the last ``StoreRules/historyLength`` runs travel
/// with the job, into the dead letters and, when `retention.completed` keeps them, among the
/// completed jobs. It answers "why did this job fail?" after the logs are gone.
///
/// Stored as JSON (`{"attempt":2,"outcome":"error","error":"…","host":"…","finished_at":…,
/// "duration_ms":…}`), so that a store can append one in SQL.
public struct JobAttempt: Sendable, Equatable, Codable {
    /// How a run ended: the worker's outcome, or what the runner saw.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case ok, error, snooze, discard
        /// The process running it died (a crash, a signal, `exit()`).
        case crashed
        /// It ran past its timeout and was killed.
        case timedOut = "timed_out"
        /// Its host vanished while it ran: the lease expired and another host took the job.
        case lost
        /// An operator cancelled it while it ran; its child was killed.
        case cancelled
    }

    /// Which attempt this was, from 1.
    public var attempt: Int
    public var outcome: Outcome
    /// The error or discard reason; nil for `ok` and `snooze`.
    public var error: String?
    /// The host that ran it (its host id).
    public var host: String
    /// When the run ended (for `lost`: when its lease ran out).
    public var finishedAt: Timestamp
    /// How long it ran; nil when unknown (`lost`).
    public var duration: Duration?

    public init(attempt: Int, outcome: Outcome, error: String? = nil, host: String, finishedAt: Timestamp, duration: Duration? = nil) {
        self.attempt = attempt
        self.outcome = outcome
        self.error = error
        self.host = host
        self.finishedAt = finishedAt
        self.duration = duration
    }

    enum CodingKeys: String, CodingKey {
        case attempt, outcome, error, host
        case finishedAt = "finished_at"
        case durationMilliseconds = "duration_ms"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attempt = try container.decode(Int.self, forKey: .attempt)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        host = try container.decode(String.self, forKey: .host)
        finishedAt = Timestamp(rawValue: try container.decode(Int64.self, forKey: .finishedAt))
        duration = try container.decodeIfPresent(Int64.self, forKey: .durationMilliseconds).map { .milliseconds($0) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(host, forKey: .host)
        try container.encode(finishedAt.rawValue, forKey: .finishedAt)
        try container.encodeIfPresent(duration?.milliseconds, forKey: .durationMilliseconds)
    }
}

extension JobAttempt {
    /// The record as one line of JSON, the form stores append to a job's history.
    public var json: String {
        // Encoding these plain fields cannot fail.
        String(decoding: (try? Self.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// A stored history (a JSON array of records); empty when unreadable.
    public static func history(fromJSON text: String) -> [JobAttempt] {
        (try? JSONDecoder().decode([JobAttempt].self, from: Data(text.utf8))) ?? []
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
