/// How far a running job has come, as its plugin last reported it (ABI 1.2 `progress`): shown
/// to operators by `jobqueue status --json`, `jobqueue jobs show` and the dashboard.
public struct JobProgress: Sendable, Equatable, Codable {
    /// 0 to 100.
    public var percent: Int
    /// What the plugin said it is doing; empty when it said nothing.
    public var message: String

    public init(percent: Int, message: String = "") {
        self.percent = min(max(percent, 0), 100)
        self.message = message
    }

    /// `40% resizing images`, or `40%`.
    public var text: String { message.isEmpty ? "\(percent)%" : "\(percent)% \(message)" }
}

/// A running job's latest progress, as a host's record carries it.
public struct RunningProgress: Sendable, Equatable, Codable {
    public var job: JobID
    public var percent: Int
    public var message: String

    public init(job: JobID, _ progress: JobProgress) {
        self.job = job
        percent = progress.percent
        message = progress.message
    }

    /// The report itself.
    public var progress: JobProgress { JobProgress(percent: percent, message: message) }

    /// As stored: `job TAB percent TAB message`, the message without tabs or line breaks.
    public var text: String {
        "\(job.rawValue)\t\(percent)\t\(String(message.map { $0 == "\t" || $0.isNewline ? " " : $0 }))"
    }

    /// The entries of stored `text`, one per line.
    public static func list(fromText text: String) -> [RunningProgress] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let id = Int64(fields[0]), let percent = Int(fields[1]) else { return nil }
            return RunningProgress(job: JobID(rawValue: id), JobProgress(percent: percent, message: String(fields[2])))
        }
    }
}
