import Foundation
import GRDB
import Testing

@testable import JobQueue

extension ProcessTests {
    /// What the product does when its store file is taken away, damaged, or out of room.
    @Suite(.serialized) struct StoreFaultTests {
        /// A small tmpfs mounted inside the test's folder (needs root; CI and development run as root).
        final class SmallDisk {
            let path: String
            let mounted: Bool

            init(in folder: String, size: String) {
                path = folder + "/disk"
                try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                mounted = Self.shell("mount -t tmpfs -o size=\(size),mode=0755 tmpfs '\(path)'") == 0
            }

            func remountReadOnly() -> Bool { Self.shell("mount -o remount,ro '\(path)'") == 0 }

            deinit { _ = Self.shell("umount '\(path)'") }

            @discardableResult
            static func shell(_ command: String) -> Int32 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command + " 2>/dev/null"]
                try? process.run()
                process.waitUntilExit()  // a quick mount or umount, from a deinit too
                return process.terminationStatus
            }
        }

        @Test func aFullDiskIsAClearErrorAndKeepsWhatWasAcknowledged() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let disk = SmallDisk(in: cli.folder, size: "400k")
            try #require(disk.mounted, "cannot mount a tmpfs here (not root?)")
            try cli.write("config.yaml", "store: { path: disk/queue.db }\n")
            let payload = "\"" + String(repeating: "x", count: 16_000) + "\""
            var acknowledged = 0
            var failure: CLI.Result?
            for _ in 0..<100 {
                let result = try await cli.run("enqueue", "q", "t", payload)
                if result.status != 0 {
                    failure = result
                    break
                }
                acknowledged += 1
            }
            let error = try #require(failure)
            #expect(error.status == 1)
            #expect(error.stderr.contains("database or disk is full"), "\(error.stderr)")
            #expect(error.stderr.split(separator: "\n").count == 1)
            let status = try await cli.run("status", "--json")
            #expect(status.stdout.contains("\"ready\" : \(acknowledged)"), "\(status.stdout)\(status.stderr)")
        }

        @Test func aReadOnlyFileSystemIsAClearError() async throws {
            let cli = try CLI(config: "")
            defer { cli.cleanUp() }
            let disk = SmallDisk(in: cli.folder, size: "4m")
            try #require(disk.mounted, "cannot mount a tmpfs here (not root?)")
            try cli.write("config.yaml", "store: { path: disk/queue.db }\n")
            #expect(try await cli.run("enqueue", "q", "t").status == 0)
            try #require(disk.remountReadOnly())
            let result = try await cli.run("enqueue", "q", "t")
            #expect(result.status == 1)
            #expect(result.stderr.contains("store"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }

        @Test(arguments: ["truncated", "overwritten"])
        func aDamagedFileIsRefusedAndLeftAlone(damage: String) async throws {
            let cli = try CLI()
            defer { cli.cleanUp() }
            try cli.write("jobs.jsonl", (0..<300).map { #"{"queue": "q\#($0)", "topic": "t", "payload": {"n": \#($0)}}"# }.joined(separator: "\n"))
            #expect(try await cli.run("enqueue", "--file", "jobs.jsonl").status == 0)
            let path = cli.folder + "/queue.db"
            // Move everything from the WAL into the main file, so the damage hits committed data.
            let store = try SQLiteJobStore(.init(path: path))
            try await store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            let handle = try #require(FileHandle(forUpdatingAtPath: path))
            if damage == "truncated" {
                try handle.truncate(atOffset: 3000)
            } else {
                try handle.seek(toOffset: 4096)
                handle.write(Data(repeating: 0xA5, count: 16_384))
            }
            try handle.close()
            try? FileManager.default.removeItem(atPath: path + "-wal")
            let damaged = try Data(contentsOf: URL(fileURLWithPath: path))
            let result = try await cli.run("status")
            #expect(result.status == 1)
            #expect(result.stderr.contains("queue.db"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
        }

        @Test func aHostStopsWhenItsStoreFileIsDeleted() async throws {
            let cli = try CLI(config: HostTests.config([("fault", HostTests.plugin("FaultWorker"), "")], consumer: "{ lease: 150ms }"))
            defer { cli.cleanUp() }
            let (host, _, err) = try cli.start(["run"])
            #expect(try await cli.waitUntilServing(host))
            try FileManager.default.removeItem(atPath: cli.folder + "/queue.db")
            let log = await err.readAll()
            await host.exited()
            // It stopped by itself after starting: 70, not the 1 of a refusal to start.
            #expect(host.terminationStatus == 70)
            #expect(log.contains("was deleted or replaced while open"), "\(log)")
            #expect(log.split(separator: "\n").last?.hasPrefix("Error: the host stopped: ") == true, "\(log)")
        }
    }
}
