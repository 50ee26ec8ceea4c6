import Foundation
import Testing

@testable import JobQueue

extension ProcessTests {
    @Suite struct KilledWriterTests {
        /// Writers killed with SIGKILL at random moments: the file reopens cleanly, every id a writer
        /// printed (acknowledged) is there, and no batch is half-stored.
        @Test func sigkillMidWriteLosesNothingAcknowledged() async throws {
            let cli = try CLI(config: "store: { path: queue.db, sync: full }\n")
            defer { cli.cleanUp() }
            let batch = 50
            try cli.write("jobs.jsonl", (0..<batch).map { #"{"queue": "q", "topic": "t", "payload": {"n": \#($0)}}"# }.joined(separator: "\n"))

            var acknowledged: Set<Int64> = []
            var killed = 0
            for round in 0..<24 {
                let (process, out, _) = try cli.start(["enqueue", "--file", "jobs.jsonl"])
                if round % 3 != 2 {
                    await pause(UInt32.random(in: 0...40_000))
                    if process.isRunning {
                        kill(process.processIdentifier, SIGKILL)
                        killed += 1
                    }
                }
                let printed = await out.readAll()
                await process.exited()
                acknowledged.formUnion(printed.split(separator: "\n").compactMap { Int64($0) })
            }

            let store = try SQLiteJobStore(.init(path: cli.folder + "/queue.db"))
            let integrity = try await store.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            #expect(integrity == ["ok"])
            let stored = try await store.lease(
                queue: QueueKey(queueID: "q", topic: "t"), limit: 100_000, duration: .seconds(1), owner: "check", now: .now)
            let storedIDs = Set(stored.map(\.id.rawValue))
            #expect(acknowledged.isSubset(of: storedIDs))
            #expect(storedIDs.count % batch == 0)
            #expect(!acknowledged.isEmpty)
            print("killed \(killed) writers; \(acknowledged.count) jobs acknowledged, \(storedIDs.count) stored")
        }
    }
}
