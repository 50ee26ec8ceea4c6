import JobQueue
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What the fork server reports about one batch, in order: `started`, then `begin`/`outcome`
/// pairs with `log`, `progress` and `output` in between, then `exited` last. A batch that could not start
/// gets only `rejected`; one whose fork server died gets `lost` last instead of `exited`.
public enum BatchEvent: Sendable, Equatable {
    /// The batch's child runs as `pid` (also its process group).
    case started(pid: pid_t)
    /// Job `index` (0-based position in the batch) is starting.
    case begin(index: Int)
    /// Job `index` finished and said this.
    case outcome(index: Int, PluginOutcome)
    /// A line the plugin logged while running job `index`.
    case log(index: Int, level: Logger.Level, message: String)
    /// How far job `index` has come, as the plugin reported it (at most one every 100 ms).
    case progress(index: Int, JobProgress)
    /// Bytes the child wrote to its stdout or stderr (any chunking; not split at lines).
    case output(ChildStream, [UInt8])
    /// The child is gone and every event it caused has been delivered.
    case exited(WaitStatus)
    /// The batch never started; the message says why (unknown topic, fork failed, shutting down).
    case rejected(String)
    /// The fork server went away before the batch's end was known.
    case lost(String)
}

/// Which output of the child a chunk of `BatchEvent.output` came from.
public enum ChildStream: String, Sendable, Equatable {
    case stdout, stderr
}
