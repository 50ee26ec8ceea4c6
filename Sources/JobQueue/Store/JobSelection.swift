/// Which live jobs an operation such as cancel applies to: explicit ids, or every job of a queue
/// (of one topic, or of all).
public enum JobSelection: Sendable, Equatable {
    case ids([JobID])
    case queue(String, topic: String? = nil)
}
