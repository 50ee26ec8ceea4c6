import Foundation
import JobQueue

/// `jobqueue-bench --producer STORE`: the second process of the start-latency scenario. For each
/// queue id read from stdin it takes CLOCK_MONOTONIC, enqueues one no-op job to that queue (its own
/// transaction, like `jobqueue enqueue`) and answers "NANOS ID". It says "ready" once the store is
/// open, and exits at the end of its input.
enum Producer {
    static func serve(storePath: String, sync: String) async -> Int32 {
        do {
            let store = try SQLiteJobStore(.init(path: storePath, sync: SyncMode(rawValue: sync) ?? .full))
            let client = JobClient(store: store)
            answer("ready")
            while let queue = readLine(), !queue.isEmpty {
                let start = Monotonic.nanos()
                let id = try await client.enqueue(queue: queue, topic: "noop", payload: Array(#"{"n":0}"#.utf8))
                answer("\(start) \(id)")
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("jobqueue-bench producer: \(error)\n".utf8))
            return 1
        }
    }

    private static func answer(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
