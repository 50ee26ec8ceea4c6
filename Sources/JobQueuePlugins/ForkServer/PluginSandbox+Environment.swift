import JobQueue

extension PluginSandbox {
    /// The value of a fork server's `JOBQUEUE_SANDBOX`: one `word value` per line (see
    /// `Sources/jobqueue-forkserver/sandbox.h`).
    var environmentValue: String {
        var lines = ["landlock \(landlockABI)"]
        if !network { lines.append("network off") }
        lines += (writable ?? []).map { "writable \($0)" }
        lines += (readable ?? []).map { "readable \($0)" }
        return lines.joined(separator: "\n")
    }
}
