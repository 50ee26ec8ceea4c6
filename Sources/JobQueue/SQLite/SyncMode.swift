/// How hard a commit waits for the disk.
public enum SyncMode: String, Sendable, Equatable, CaseIterable {
    /// Every acknowledged write survives power loss (fsync per commit). The default.
    case full
    /// Survives a crash of the process, but the last commits may be lost on power loss; several
    /// times faster for one-job-per-transaction workloads.
    case normal
}
