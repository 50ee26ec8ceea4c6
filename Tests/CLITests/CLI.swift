import Foundation
import Testing

/// Every suite of this target: they run real processes (hosts, fork servers, batches, whole
/// benchmarks), one suite at a time, so that the suite as a whole, in parallel with the in-process
/// suites of the other targets, does not put dozens of processes on two cores at once.
@Suite(.serialized) enum ProcessTests {}

/// Runs the real `jobqueue` binary built next to the test bundle.
struct CLI {
    let folder: String

    static var binary: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = executable.deletingLastPathComponent().appendingPathComponent("jobqueue").path
        precondition(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: run `swift build` first")
        return path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init(config: String = "store: { path: queue.db, sync: normal }\n") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try write("config.yaml", config)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Starts `jobqueue ARGS` (or another `program`) in the test's folder without waiting.
    func start(program: String = Self.binary, _ arguments: [String], stdin: String? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        return (process, out, err)
    }

    /// Starts `jobqueue ARGS` in the test's folder with its standard error going to `errorLog`
    /// (a file a test can read while the process runs).
    func start(_ arguments: [String], errorLog: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errorLog)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `jobqueue ARGS` to completion.
    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) async throws -> Result {
        try await run(arguments, stdin: stdin)
    }

    @discardableResult
    func run(program: String = Self.binary, _ arguments: [String], stdin: String? = nil) async throws -> Result {
        let (process, out, err) = try start(program: program, arguments, stdin: stdin)
        async let stdout = out.readAll()
        async let stderr = err.readAll()
        let status = await process.exited()
        return Result(status: status, stdout: await stdout, stderr: await stderr)
    }

    /// `jobqueue status --json ARGS`, parsed.
    func statusJSON(_ arguments: String...) async throws -> [String: Any] { try await statusJSON(arguments) }

    func statusJSON(_ arguments: [String]) async throws -> [String: Any] {
        let output = try await run(["status", "--json"] + arguments).stdout
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
    }

    /// Polls `status --json ARGS` until `condition` holds; false after 20 s.
    func eventually(_ arguments: String..., condition: ([String: Any]) -> Bool) async throws -> Bool {
        for _ in 0..<400 {
            let output = try await run(["status", "--json"] + arguments).stdout
            if let status = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], condition(status) { return true }
            await pause(50_000)
        }
        return false
    }

    /// What the store holds, as `status --json` and `jobs list --json` report it, less what moves
    /// with time alone (the queue lag): equal before and after a command that changes nothing.
    func storedState() async throws -> String {
        var status = try JSONSerialization.jsonObject(with: Data(try await run("status", "--json").stdout.utf8)) as? [String: Any] ?? [:]
        status["oldest_ready_seconds"] = nil
        let statusText = String(decoding: try JSONSerialization.data(withJSONObject: status, options: [.sortedKeys]), as: UTF8.self)
        return statusText + (try await run("jobs", "list", "--json", "--limit", "100000").stdout)
    }

    /// Waits until `host` (a started `jobqueue run`) has published its host record: its plugins
    /// are loaded, its signals trapped and its pipeline running. False if that takes over 20 s.
    func waitUntilServing(_ host: Process) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && host.isRunning {
            let status = try await run("status", "--json").stdout
            if let json = try? JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any],
                let hosts = json["hosts"] as? [[String: Any]],
                hosts.contains(where: { ($0["pid"] as? Int).map(Int32.init) == host.processIdentifier })
            {
                return true
            }
            await pause(10_000)
        }
        return false
    }

    /// The text of the log file `path` once it contains `text`, or as it is after 20 s.
    static func waitForLog(_ path: String, containing text: String) async -> String {
        var log = ""
        for _ in 0..<2000 where !log.contains(text) {
            await pause(10_000)
            log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
        return log
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }
}

// The CLI tests wait for processes a lot. The suite runs in parallel on a cooperative pool of one
// thread per core, so no test may block one of its threads: blocking waits run on Dispatch's
// global queue instead, and pauses are `Task.sleep`s.

/// Runs blocking `work` on a thread of its own, outside Swift concurrency's cooperative pool
/// (Dispatch's global queues would not do: on Linux the pool is made of their threads).
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// Sleeps without holding a thread.
func pause(_ microseconds: UInt32) async {
    try? await Task.sleep(for: .microseconds(Int(microseconds)))
}

extension Process {
    /// Waits until the process has exited; returns its termination status.
    @discardableResult
    func exited() async -> Int32 {
        await offThePool {
            self.waitUntilExit()
            return self.terminationStatus
        }
    }
}

extension Pipe {
    /// Everything written to the pipe until its write end closes, as text.
    func readAll() async -> String {
        let handle = fileHandleForReading
        return await offThePool { String(decoding: handle.readDataToEndOfFile(), as: UTF8.self) }
    }
}
