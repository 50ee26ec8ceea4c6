#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended: the raw status `waitpid` returned, decoded.
public struct WaitStatus: RawRepresentable, Sendable, Equatable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The exit code, if the process exited (rather than being killed by a signal).
    public var exitCode: Int32? {
        rawValue & 0x7f == 0 ? (rawValue >> 8) & 0xff : nil
    }

    /// The signal that killed the process, if one did.
    public var signal: Int32? {
        let number = rawValue & 0x7f
        return number != 0 && number != 0x7f ? number : nil
    }

    /// `exited with status 3` or `killed by SIGSEGV`.
    public var description: String {
        if let signal { return "killed by \(Self.signalName(signal))" }
        return "exited with status \(exitCode ?? rawValue)"
    }

    /// `SIGSEGV` for 11; `signal 42` for numbers without a usual name.
    public static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL",
            SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
            SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU",
            SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}
