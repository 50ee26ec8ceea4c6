/// This release of JobQueue: what `jobqueue --version` prints, `status --json` reports and a host
/// logs when it starts.
public enum JobQueueVersion {
    public static let current = "0.1.0"
}
