#if canImport(Glibc)
import Glibc
#endif

/// Why the fork server could not be started or used.
public enum ForkServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `jobqueue-forkserver` executable at any of these places.
    case executableNotFound(searched: [String])
    /// posix_spawn (or a pipe for it) failed with this errno.
    case spawnFailed(path: String, errno: Int32)
    /// The server has been shut down (or its command pipe closed); nothing more can be sent.
    case notRunning
    /// The server process ended while the host was waiting for an answer (during a load, a
    /// plugin's `jq_init` crashing it is the usual reason).
    case exited(WaitStatus?)
    /// The server said something the host does not understand.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .executableNotFound(let searched):
            "jobqueue-forkserver not found (looked at \(searched.joined(separator: ", "))); build it with `swift build`"
        case .spawnFailed(let path, let errno):
            "cannot start \(path): \(String(cString: strerror(errno)))"
        case .notRunning:
            "the fork server is not running"
        case .exited(let status):
            "the fork server \(status.map { "\($0)" } ?? "exited") (a plugin's jq_init may have crashed it)"
        case .protocolViolation(let detail):
            "fork server protocol violation: \(detail)"
        }
    }
}
