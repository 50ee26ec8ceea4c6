import Foundation
import Testing

extension ProcessTests {
    /// Mutation fuzzing of `jobqueue enqueue`'s input (JSON Lines files and payload arguments) through
    /// the real binary: every input ends in success or a one-line error with exit 1 or 64, never a
    /// crash. Longer runs: `JOBQUEUE_FUZZ_ITERATIONS=5000 swift test --skip-build --filter EnqueueFuzzTests`.
    @Suite struct EnqueueFuzzTests {
        static let iterations = Int(ProcessInfo.processInfo.environment["JOBQUEUE_FUZZ_ITERATIONS"] ?? "").map { $0 / 50 } ?? 60

        static let seed =
            #"{"queue": "tenant-1", "topic": "email:send", "payload": {"to": "a@b.c", "n": [1, 2.5, null, true]}, "priority": 5, "in": "5m", "max_retries": 2}"#
        /// Inputs that once failed, kept forever.
        static let regressions = [
            "{\"queue\": \"tena\nt-1\", \"topic\":6\"email:se\"}",  // an echoed newline split the error
            "{\"a\nb\": 1}",
        ]

        static let fragments = [
            "\"", "{", "}", "[", "]", ":", ",", "\\u0000", "\\ud800", "1e999", "-0", "\u{0}", "\u{FF}", "null", "\"at\": \"x\"", "é",
        ]

        @Test func mutatedInputNeverCrashesTheCLI() async throws {
            let cli = try CLI()
            defer { cli.cleanUp() }
            var random = Generator(state: 0x5EED)
            let inputs = Self.regressions.map { Array($0.utf8) } + (0..<Self.iterations).map { _ in Self.mutate(Array(Self.seed.utf8), &random) }
            for bytes in inputs {
                try Data(bytes).write(to: URL(fileURLWithPath: cli.folder + "/jobs.jsonl"))
                let asFile = try await cli.run("enqueue", "--file", "jobs.jsonl")
                let asPayload = try await cli.run("enqueue", "q", "t", String(decoding: bytes, as: UTF8.self))
                for result in [asFile, asPayload] {
                    #expect(
                        [0, 1, 64].contains(result.status),
                        "status \(result.status) for \(String(decoding: bytes, as: UTF8.self).debugDescription): \(result.stderr)")
                    if result.status != 0 {
                        #expect(!result.stderr.isEmpty)
                        if result.status == 1 { #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)") }
                    }
                }
            }
        }

        static func mutate(_ input: [UInt8], _ random: inout Generator) -> [UInt8] {
            var bytes = input
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(bytes.count + 1))
                switch random.next() % 3 {
                case 0: if position < bytes.count { bytes.remove(at: position) }
                case 1: bytes.insert(contentsOf: Array(fragments[Int(random.next() % UInt64(fragments.count))].utf8), at: position)
                default: if position < bytes.count { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
                }
            }
            return bytes
        }

        struct Generator {
            var state: UInt64
            mutating func next() -> UInt64 {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return state
            }
        }
    }
}
