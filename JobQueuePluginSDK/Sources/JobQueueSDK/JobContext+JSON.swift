#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JobContext {
    /// Asks for a follow-up job whose payload is `value` encoded as JSON. See
    /// ``enqueue(queueID:topic:payload:priority:delay:maxRetries:uniqueKey:uniqueFor:)``.
    public func enqueue<Payload: Encodable>(
        queueID: String, topic: String, json value: Payload,
        priority: Int? = nil, delay: Duration? = nil, maxRetries: Int? = nil, uniqueKey: String? = nil, uniqueFor: Duration? = nil
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = Array(try encoder.encode(value))
        try enqueue(
            queueID: queueID, topic: topic, payload: payload, priority: priority, delay: delay, maxRetries: maxRetries, uniqueKey: uniqueKey,
            uniqueFor: uniqueFor)
    }
}
