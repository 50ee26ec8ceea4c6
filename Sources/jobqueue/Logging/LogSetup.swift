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

/// One JSON object per line: time, level, message, and every metadata field at the top level.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object: [String: String] = [
            "time": Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)),
            "level": event.level.rawValue,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            object[key] = "\(value)"
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
