import Foundation
import JobQueue

/// A JSON Lines file of jobs: one object per line, blank lines skipped. Every error names the
/// file and line, and nothing is enqueued unless every line is valid.
enum JobsFile {
    static let fields = ["queue", "topic", "payload", "priority", "at", "in", "max_retries", "unique_key", "unique_for"]

    static func read(path: String) throws -> [NewJob] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot read file")
        }
        var jobs: [NewJob] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                jobs.append(try job(from: line))
            } catch let error as InputError {
                throw InputError("\(path):\(index + 1): \(error.description)")
            }
        }
        if jobs.isEmpty { throw InputError("\(path): no jobs in file") }
        return jobs
    }

    /// The typed fields of a line; the payload is taken raw, as any JSON value.
    private struct Line: Decodable {
        var queue: String?
        var topic: String?
        var priority: Int?
        var at: String?
        var `in`: String?
        // Spelled as the JSON key.
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var max_retries: Int?
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var unique_key: String?
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var unique_for: String?
    }

    private static func job(from line: Substring) throws -> NewJob {
        let data = Data(line.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError("not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw InputError("unknown field '\(unknown.quotedForMessage())' (expected \(fields.joined(separator: ", ")))")
        }
        let typed: Line
        do {
            typed = try JSONDecoder().decode(Line.self, from: data)
        } catch let DecodingError.typeMismatch(type, context) {
            let field = context.codingPath.first?.stringValue ?? "field"
            throw InputError("\(field) must be \(type == String.self ? "a string" : "an integer")")
        }
        guard let queue = typed.queue else { throw InputError("missing field 'queue'") }
        guard let topic = typed.topic else { throw InputError("missing field 'topic'") }
        let payload =
            try object["payload"].map {
                Array(try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
            } ?? Array("{}".utf8)
        let options = JobOptions(
            priority: typed.priority, at: typed.at, delay: typed.in, maxRetries: typed.max_retries, uniqueKey: typed.unique_key,
            uniqueFor: typed.unique_for)
        return try options.job(queue: queue, topic: topic, payload: payload)
    }
}
