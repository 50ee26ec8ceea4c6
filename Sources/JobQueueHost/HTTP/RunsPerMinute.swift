import JobQueue
import Synchronization

/// This host's finished runs per minute over the last hour (the dashboard's chart): `ok` for
/// runs that succeeded or snoozed, `failed` for errors, crashes, timeouts and discards.
final class RunsPerMinute: Sendable {
    struct Minute: Sendable, Equatable {
        var start: Timestamp
        var ok = 0
        var failed = 0
    }

    private let minutes = Mutex<[Int64: Minute]>([:])

    func record(_ outcome: JobAttempt.Outcome, at time: Timestamp) {
        let minute = time.rawValue / 60_000
        minutes.withLock { minutes in
            var counts = minutes[minute] ?? Minute(start: Timestamp(rawValue: minute * 60_000))
            switch outcome {
            case .ok, .snooze: counts.ok += 1
            case .error, .crashed, .timedOut, .discard, .lost, .cancelled: counts.failed += 1
            }
            minutes[minute] = counts
            if minutes.count > 61 { minutes = minutes.filter { $0.key > minute - 60 } }
        }
    }

    /// The 60 minutes up to `now`'s, oldest first, zeros included.
    func lastHour(now: Timestamp) -> [Minute] {
        let current = now.rawValue / 60_000
        return minutes.withLock { minutes in
            (current - 59...current).map { minutes[$0] ?? Minute(start: Timestamp(rawValue: $0 * 60_000)) }
        }
    }
}
