import Foundation
import Logging
import Synchronization
import Testing

@testable import JobQueue

/// A fresh folder under the system temp dir, removed when the value is released.
final class TemporaryFolder: Sendable {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A real SQLite store in its own temporary folder.
struct StoreFixture {
    let folder = TemporaryFolder()
    let store: SQLiteJobStore

    init(sync: SyncMode = .normal) throws {
        store = try SQLiteJobStore(.init(path: folder.file("queue.db"), sync: sync))
    }

    var path: String { folder.file("queue.db") }
}

extension NewJob {
    static func make(
        _ queue: String = "q", _ topic: String = "t", payload: String = "{}", priority: Int? = nil, visibleAt: Timestamp? = nil,
        maxRetries: Int? = nil
    ) -> NewJob {
        NewJob(queueID: queue, topic: topic, payload: Array(payload.utf8), priority: priority, visibleAt: visibleAt, maxRetries: maxRetries)
    }
}

extension LeasedJob {
    var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}

extension Logger {
    /// Tests assert on state, not on log lines.
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// Values appended from any task.
final class Recorder<Item: Sendable>: Sendable {
    private let storage = Mutex<[Item]>([])
    func append(_ item: Item) { storage.withLock { $0.append(item) } }
    var items: [Item] { storage.withLock { $0 } }
}
