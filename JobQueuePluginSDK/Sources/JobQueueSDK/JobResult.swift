/// What a run of ``JobWorker/perform(_:_:_:)`` says about the job.
///
/// ```swift
/// return .ok                      // done
/// return .ok("sent to 3 people")  // done, with a result the host logs
/// return .error("SMTP 451")       // failed: retried after backoff
/// return .snooze(milliseconds: 5_000)
/// return .discard("unsubscribed") // give up now, no retry
/// ```
public struct JobResult: Sendable, Equatable {
    /// The cases, for inspecting a result.
    public enum Kind: Sendable, Equatable {
        /// Done, with the result bytes the host logs, if any.
        case ok(result: [UInt8]?)
        /// Failed with a message; retried after backoff.
        case error(String)
        /// Run again after this many milliseconds.
        case snooze(milliseconds: UInt64)
        /// Given up, with a reason; dead-lettered at once.
        case discard(String)
    }

    /// Which outcome this is, with its details.
    public let kind: Kind

    /// A result of the given kind; the static members (`.ok`, `.error(_:)`, …) read better.
    public init(_ kind: Kind) { self.kind = kind }

    /// Done; the job is deleted.
    public static let ok = JobResult(.ok(result: nil))

    /// Done, with result bytes (up to 1 MiB), which the host logs at debug level, cut to their first
    /// 512 bytes (`log: { level: debug }` in config.yaml shows them).
    public static func ok(_ result: [UInt8]) -> JobResult { JobResult(.ok(result: result)) }

    /// Done, with a result text.
    public static func ok(_ result: String) -> JobResult { JobResult(.ok(result: Array(result.utf8))) }

    /// Failed; retried after backoff, dead-lettered once the retries are spent.
    public static func error(_ message: String) -> JobResult { JobResult(.error(message)) }

    /// Run again after `milliseconds`; counts as an attempt but never dead-letters.
    public static func snooze(milliseconds: UInt64) -> JobResult { JobResult(.snooze(milliseconds: milliseconds)) }

    /// Run again after `delay` (whole milliseconds; negative counts as zero).
    public static func snooze(_ delay: Duration) -> JobResult {
        let (seconds, attoseconds) = delay.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return .snooze(milliseconds: UInt64(max(milliseconds, 0)))
    }

    /// Give up now: the job is dead-lettered as discarded, with `reason`.
    public static func discard(_ reason: String) -> JobResult { JobResult(.discard(reason)) }
}
