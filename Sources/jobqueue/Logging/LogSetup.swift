import Foundation
import JobQueueConfig
import Logging

/// Installs the process's log handler from the `log:` section: human-readable lines or one JSON
/// object per line, on standard error, at the configured level.
enum LogSetup {
    static func bootstrap(_ configuration: LogConfiguration) {
        let level = Logger.Level(rawValue: configuration.level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                configuration.format == .json
                ? JSONLogHandler(label: label)
                : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// One JSON object per line: time (RFC 3339, UTC), level, message, and every metadata field at the
/// top level; the fields that hold counts or ids (`numericFields`) as JSON numbers.
struct JSONLogHandler: LogHandler {
    /// Metadata fields whose values are integers. Others stay strings even when they look like a
    /// number (a queue id "42" is a name).
    static let numericFields: Set<String> = ["job_id", "attempt", "pid", "generation"]

    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            let text = "\(value)"
            object[key] = Self.numericFields.contains(key) ? Int64(text).map { $0 as Any } ?? text : text
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
