import Foundation
import JobQueueTestKit
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
