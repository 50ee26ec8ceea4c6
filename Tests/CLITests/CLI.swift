import Foundation
import Testing

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

    /// Starts `jobqueue ARGS` in the test's folder without waiting.
    func start(_ arguments: [String], stdin: String? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe(), err = Pipe()
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

    @discardableResult
    func run(_ arguments: String..., stdin: String? = nil) throws -> Result {
        try run(arguments, stdin: stdin)
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let (process, out, err) = try start(arguments, stdin: stdin)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }
}
