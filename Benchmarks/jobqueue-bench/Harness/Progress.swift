import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the run is doing, on standard error: one line rewritten in place on a terminal, one line
/// per step otherwise (CI logs). Never on standard output, which carries the table or the JSON.
final class Progress: Sendable {
    private struct State {
        var step = ""
        var lastDetail: UInt64 = 0
    }

    private let state = Mutex(State())
    private let started = Monotonic.nanos()
    private let terminal = isatty(STDERR_FILENO) == 1
    private let quiet: Bool

    init(quiet: Bool = false) {
        self.quiet = quiet
    }

    /// A new step: "[ 12.3s] enqueue: batches of 100, sync full".
    func step(_ text: String) {
        state.withLock { $0.step = text }
        emit(text, final: !terminal)
    }

    /// A counter inside the current step ("312,000 / 1,000,000"), at most ten times a second.
    func detail(_ text: String) {
        guard terminal else { return }
        let now = Monotonic.nanos()
        let step = state.withLock { state -> String? in
            guard now &- state.lastDetail > 100_000_000 else { return nil }
            state.lastDetail = now
            return state.step
        }
        if let step { emit("\(step) — \(text)", final: false) }
    }

    /// A line that stays (a finished scenario, a warning).
    func note(_ text: String) {
        emit(text, final: true)
    }

    func finish() {
        if terminal && !quiet { write("\r\u{1B}[K") }
    }

    private func emit(_ text: String, final: Bool) {
        guard !quiet else { return }
        let elapsed = Monotonic.seconds(since: started)
        let line = "[\(format(elapsed, decimals: 1).leftPadded(6))s] \(text)"
        if terminal {
            write("\r\u{1B}[K" + line + (final ? "\n" : ""))
        } else {
            write(line + "\n")
        }
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
