import Foundation
import JobQueueConfig
import Testing

/// Mutation fuzzing of the config loader: random edits of valid files must end in a configuration
/// or a one-line `ConfigError` that names the file, never a crash or a hang. Seeded, so a failure
/// reproduces; every crash found becomes a fixed case in `regressions`.
/// Longer runs: `JOBQUEUE_FUZZ_ITERATIONS=200000 swift test --skip-build --filter ConfigFuzzTests`.
@Suite struct ConfigFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["JOBQUEUE_FUZZ_ITERATIONS"] ?? "") ?? 3000

    static let corpus = [
        ConfigurationParsingTests.fullExample,
        """
        store: { url: "postgres://app@db:5432/jobs?sslmode=require", password_env: PGPASSWORD, schema: jobqueue, max_connections: 10, timeout: 15s }
        """,
        """
        topics:
          email:send:
            plugin: plugins/libEmailWorker.so
            priority: 50
            max_retries: 3
            timeout: none
            backoff:
              base: 1s
              max: 1h
              jitter: 0.1
            config:
              outbox: outbox/
              retries: [1, 2, 3]
              nested: { a: "quoted \\" value", b: null, c: 1.5e3, d: true }
        """,
        """
        base: &defaults { priority: 5 }
        topics:
          a: { plugin: a.so, config: *defaults }
          b: { plugin: 'b.so', config: { list: [*defaults, *defaults] } }
        """,
    ]

    /// Inputs that once broke the loader, kept forever.
    static let regressions: [String] = [
        "", "\u{0}", ":", "- a", "a: [", "a: {", "&a a", "*a", "topics: { x: { config: *missing } }",
        "topics:\n\tx: 1", "%YAML 1.1\n---\na: 1\n---\nb: 2", "? [a]\n: b", "topics: !!binary aGk=",
        String(repeating: "[", count: 10_000), String(repeating: "a: ", count: 5_000),
    ]

    static let fragments = [
        ":", " ", "\n", "\t", "-", "[", "]", "{", "}", "&x ", "*x", "<<: ", "!!str ", "\"", "'", "#", "|", ">",
        "? ", ",", "0x1F", "1e999", "-1", "none", "~", "null", "yes", "\u{FEFF}", "\u{0}", "é", "💥",
        "topics:", "store:", "lease: ", "30s", "1MiB", "plugin: ", "config: ",
    ]

    static func check(_ text: String) {
        do {
            _ = try Configuration.parse(yaml: text, file: "fuzz.yaml", baseDirectory: "/tmp")
        } catch {
            let line = error.description
            #expect(!line.contains("\n"), "multi-line error for input \(text.debugDescription): \(line)")
            #expect(line.hasPrefix("fuzz.yaml"), "error without the file name: \(line)")
        }
    }

    @Test func regressionsStayFixed() {
        for text in Self.regressions { Self.check(text) }
    }

    @Test func randomMutationsNeverCrash() {
        var random = SeededRandom(seed: 0x4A51)
        for _ in 0..<Self.iterations {
            var bytes = Array(Self.corpus[Int(random.next() % UInt64(Self.corpus.count))].utf8)
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: if !bytes.isEmpty { bytes.remove(at: position) }
                case 1: bytes.insert(contentsOf: Array(Self.fragments[Int(random.next() % UInt64(Self.fragments.count))].utf8), at: position)
                case 2: if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
                default:
                    let end = min(bytes.count, position + Int(random.next() % 40))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            Self.check(String(decoding: bytes, as: UTF8.self))
        }
    }
}

/// SplitMix64: small, fast, and the same sequence on every machine.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
