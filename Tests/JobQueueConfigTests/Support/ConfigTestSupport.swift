import Foundation
import Testing

@testable import JobQueueConfig

/// The folder relative paths resolve against in text-only tests.
let testBaseDirectory = "/srv/jobqueue"

/// Parses `yaml` as if it came from `config.yaml` in `testBaseDirectory`, with `environment`
/// as the process's environment.
func parseConfig(_ yaml: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> Configuration {
    try Configuration.parse(yaml: yaml, file: "config.yaml", baseDirectory: testBaseDirectory, environment: environment)
}

/// The one-line description of the error parsing `yaml` fails with; records an issue (and
/// returns nil) when it parses.
func parseErrorDescription(
    _ yaml: String, environment: [String: String] = ProcessInfo.processInfo.environment, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
    do {
        _ = try parseConfig(yaml, environment: environment)
        Issue.record("expected an error for \(yaml.debugDescription)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error.description
    }
}

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/JobQueueConfigTests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` inside the folder and returns the file's path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Data(contents.utf8))
    }

    @discardableResult
    func write(_ name: String, _ contents: Data) throws -> String {
        let file = path + "/" + name
        try contents.write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
