import Foundation

/// Jobs written as JSON, the way producers that are not Swift programs send them: a line of
/// `jobqueue enqueue --file`, the body of `POST /api/jobs`.
extension NewJob {
    /// The fields of a job object. `queue` and `topic` are required; `payload` is any JSON value
    /// (default `{}`); `priority` and `max_retries` integers; `at` an ISO-8601 time; `in` and
    /// `unique_for` durations like `90s`; `unique_key` text.
    public static let jsonFields = ["queue", "topic", "payload", "priority", "at", "in", "max_retries", "unique_key", "unique_for"]

    /// Why JSON did not make jobs: a one-line reason, naming the job (in an array) and the field.
    public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The job's position (from 1) when the JSON is an array of jobs.
        public var job: Int?
        /// The field at fault, if one is.
        public var field: String?
        public var reason: String

        public var description: String { job.map { "job \($0): \(reason)" } ?? reason }
    }

    /// The jobs in `data`: one job object or, when `allowingArray`, an array of them (`isArray`
    /// says which it was, for an answer of the same shape). Each is checked as a store would
    /// check it (``validationProblem(maxPayload:)``), so an error names the job and field at fault
    /// and a caller stores nothing.
    public static func fromJSON(_ data: Data, allowingArray: Bool = false) throws(JSONError) -> (jobs: [NewJob], isArray: Bool) {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw JSONError(reason: "not valid JSON")
        }
        let isArray = allowingArray && root is [Any]
        let objects = isArray ? root as! [Any] : [root]
        if objects.isEmpty { throw JSONError(reason: "no jobs in the array") }
        let typed: [Fields]
        do {
            for (index, object) in objects.enumerated() {
                guard let fields = object as? [String: Any] else {
                    throw JSONError(job: isArray ? index + 1 : nil, reason: allowingArray ? "not a JSON object or array" : "not a JSON object")
                }
                if let unknown = fields.keys.sorted().first(where: { !jsonFields.contains($0) }) {
                    throw JSONError(
                        job: isArray ? index + 1 : nil, field: unknown,
                        reason: "unknown field '\(unknown.prefix(40))' (expected \(jsonFields.joined(separator: ", ")))")
                }
            }
            typed = isArray ? try JSONDecoder().decode([Fields].self, from: data) : [try JSONDecoder().decode(Fields.self, from: data)]
        } catch let error as JSONError {
            throw error
        } catch let DecodingError.typeMismatch(type, context) {
            let index = isArray ? context.codingPath.first?.intValue.map { $0 + 1 } : nil
            let field = context.codingPath.last?.stringValue ?? "field"
            throw JSONError(job: index, field: field, reason: "\(field) must be \(type == String.self ? "a string" : "an integer")")
        } catch {
            throw JSONError(reason: "not valid JSON")
        }
        var jobs: [NewJob] = []
        jobs.reserveCapacity(objects.count)
        for (index, (object, fields)) in zip(objects, typed).enumerated() {
            do {
                jobs.append(try job(fields, payload: (object as! [String: Any])["payload"]))
            } catch {
                throw JSONError(job: isArray ? index + 1 : nil, field: error.field, reason: error.reason)
            }
        }
        return (jobs, isArray)
    }

    /// The typed fields of a job object; the payload is taken raw, as any JSON value.
    private struct Fields: Decodable {
        var queue: String?
        var topic: String?
        var priority: Int?
        var at: String?
        var `in`: String?
        var maxRetries: Int?
        var uniqueKey: String?
        var uniqueFor: String?

        enum CodingKeys: String, CodingKey {
            case queue, topic, priority, at, `in`
            case maxRetries = "max_retries"
            case uniqueKey = "unique_key"
            case uniqueFor = "unique_for"
        }
    }

    private static func job(_ fields: Fields, payload: Any?) throws(JSONError) -> NewJob {
        guard let queue = fields.queue else { throw JSONError(field: "queue", reason: "missing field 'queue'") }
        guard let topic = fields.topic else { throw JSONError(field: "topic", reason: "missing field 'topic'") }
        let payloadBytes: [UInt8]
        if let payload {
            guard let data = try? JSONSerialization.data(withJSONObject: payload, options: [.fragmentsAllowed, .withoutEscapingSlashes]) else {
                throw JSONError(field: "payload", reason: "payload is not valid JSON")
            }
            payloadBytes = Array(data)
        } else {
            payloadBytes = Array("{}".utf8)
        }
        let at = try fields.at.map { text throws(JSONError) in
            guard let time = Timestamp(iso8601: text) else {
                throw JSONError(field: "at", reason: "at must be an ISO-8601 time like 2026-01-31T09:00:00Z, got '\(text.prefix(40))'")
            }
            return time
        }
        let job = NewJob(
            queueID: queue, topic: topic, payload: payloadBytes, priority: fields.priority,
            visibleAt: scheduled(at: at, in: try duration(fields.in, field: "in")), maxRetries: fields.maxRetries,
            uniqueKey: fields.uniqueKey, uniqueFor: try duration(fields.uniqueFor, field: "unique_for"))
        if let problem = job.validationProblem() { throw JSONError(field: problem.field, reason: problem.reason) }
        return job
    }

    private static func duration(_ text: String?, field: String) throws(JSONError) -> Duration? {
        guard let text else { return nil }
        guard let duration = Duration(text: text) else {
            throw JSONError(field: field, reason: "\(field) must be a duration like 1500ms, 90s, 5m or 1h, got '\(text.prefix(40))'")
        }
        return duration
    }
}

extension Timestamp {
    /// An ISO-8601 time with its offset, with or without fractional seconds
    /// (`2026-01-31T09:00:00Z`, `2026-01-31T10:00:00.250+01:00`); nil for other text.
    public init?(iso8601 text: String) {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? plain.parse(text)) ?? (try? fractional.parse(text)) else { return nil }
        self.init(date)
    }
}
