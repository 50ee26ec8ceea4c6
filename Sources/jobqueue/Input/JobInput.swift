import Foundation
import JobQueue

/// An input problem, reported as one line and exit code 1.
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension StringProtocol {
    /// The text as it may be quoted in a one-line message: control characters escaped, and cut
    /// after `limit` characters.
    func quotedForMessage(limit: Int = 40) -> String {
        let cut = prefix(limit)
        let escaped = cut.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }.joined()
        return escaped + (count > limit ? "…" : "")
    }
}

/// Turns command-line and file text into job fields, with one-line errors.
enum JobInput {
    /// Checks that `text` is JSON and returns its bytes unchanged.
    static func jsonPayload(_ text: String) throws -> [UInt8] {
        let bytes = Array(text.utf8)
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw InputError("payload is not valid JSON: \(text.quotedForMessage())")
        }
        return bytes
    }

    static func time(_ text: String) throws -> Timestamp {
        guard let time = Timestamp(iso8601: text) else {
            throw InputError("--at must be an ISO-8601 time like 2026-01-31T09:00:00Z, got '\(text.quotedForMessage())'")
        }
        return time
    }

    static func delay(_ text: String) throws -> Duration {
        guard let duration = Duration(text: text) else {
            throw InputError("--in must be a duration like 1500ms, 90s, 5m or 1h, got '\(text.quotedForMessage())'")
        }
        return duration
    }
}

/// The per-job options shared by the command line and JSON Lines input.
struct JobOptions {
    var priority: Int?
    var at: String?
    var delay: String?
    var maxRetries: Int?
    var uniqueKey: String?
    var uniqueFor: String?

    func job(queue: String, topic: String, payload: [UInt8]) throws -> NewJob {
        if let maxRetries, maxRetries < 0 { throw InputError("--max-retries must be 0 or more, got \(maxRetries)") }
        let visibleAt = NewJob.scheduled(at: try at.map(JobInput.time), in: try delay.map(JobInput.delay))
        let uniqueFor = try uniqueFor.map { text in
            guard let duration = Duration(text: text), duration > .zero else {
                throw InputError("--unique-for must be a positive duration like 90s, 5m or 24h, got '\(text.quotedForMessage())'")
            }
            return duration
        }
        if uniqueFor != nil && uniqueKey == nil { throw InputError("--unique-for needs --unique-key") }
        return NewJob(
            queueID: queue, topic: topic, payload: payload, priority: priority, visibleAt: visibleAt, maxRetries: maxRetries,
            uniqueKey: uniqueKey, uniqueFor: uniqueFor)
    }
}
