/// Every topic's policy, resolved once by whoever configures the queue (for the host: each
/// topic's settings over the config's `defaults:`), and the defaults for any topic not listed
/// (follow-up jobs for topics served elsewhere). The pipeline and the client read policies only
/// from here, so nothing else invents defaults.
public struct TopicPolicies: Sendable, Equatable {
    /// The topics listed, with their policies.
    public var topics: [String: TopicPolicy]
    /// The policy of every other topic.
    public var defaults: TopicPolicy

    public init(_ topics: [String: TopicPolicy] = [:], defaults: TopicPolicy = .default) {
        self.topics = topics
        self.defaults = defaults
    }

    /// The policy of `topic`: its own if listed, ``defaults`` otherwise.
    public subscript(topic: String) -> TopicPolicy {
        topics[topic] ?? defaults
    }

    /// The limits of those of `topics` that have any.
    public func limits(of topics: some Sequence<String>) -> [String: TopicLimits] {
        var limits: [String: TopicLimits] = [:]
        for topic in topics where !self[topic].limits.isEmpty { limits[topic] = self[topic].limits }
        return limits
    }
}
