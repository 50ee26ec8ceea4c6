import Foundation

/// A child process we talk to in lines: commands on its stdin, answers from its stdout, read by a
/// thread of its own so that no task of the cooperative pool (two threads here) ever blocks.
final class LineProcess: Sendable {
    let process: Process
    private let input: FileHandle
    let lines: AsyncStream<String>

    init(executable: String, arguments: [String], currentDirectory: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        self.process = process
        self.input = stdin.fileHandleForWriting
        let (lines, continuation) = AsyncStream<String>.makeStream()
        self.lines = lines
        let reader = stdout.fileHandleForReading
        let thread = Thread {
            var pending: [UInt8] = []
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending += chunk
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            continuation.finish()
        }
        thread.start()
    }

    func send(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    /// Closes its stdin (the producer exits at end of input) and waits for it to end.
    func finish() async {
        try? input.close()
        await process.exited()
    }
}

extension Process {
    /// Waits for the process to end without blocking a thread of the cooperative pool.
    func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.waitUntilExit()
                continuation.resume()
            }
        }
    }
}

/// Figures from /proc.
enum ProcFS {
    /// A `kB` field of /proc/PID/status (VmRSS, VmHWM...), in KiB.
    static func statusKiB(_ pid: pid_t, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }

    /// Direct children of `pid`, with their command names.
    static func children(of pid: pid_t) -> [(pid: pid_t, name: String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [(pid_t, String)] = []
        for entry in entries {
            guard let child = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
            // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split at the last ')'.
            guard let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == pid {
                found.append((child, String(stat[stat.index(after: open)..<close])))
            }
        }
        return found
    }
}
