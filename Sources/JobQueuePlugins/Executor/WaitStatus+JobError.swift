extension WaitStatus {
    /// The error of the job that was running when the child ended this way:
    /// `crashed: SIGSEGV` (a Swift trap shows as SIGILL) or `exited with status 0`.
    var jobError: String {
        if let signal { return "crashed: \(Self.signalName(signal))" }
        return "exited with status \(exitCode ?? rawValue)"
    }
}
