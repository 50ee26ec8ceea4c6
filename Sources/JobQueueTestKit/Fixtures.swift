import JobQueue

/// Small builders for tests of a store or a pipeline.
extension NewJob {
    /// A job with text `payload`, for queue `queue` and topic `topic`; unset fields take the defaults.
    public static func make(
        _ queue: String = "q", _ topic: String = "t", payload: String = "{}", priority: Int? = nil, visibleAt: Timestamp? = nil,
        maxRetries: Int? = nil, uniqueKey: String? = nil, uniqueFor: Duration? = nil
    ) -> NewJob {
        NewJob(
            queueID: queue, topic: topic, payload: Array(payload.utf8), priority: priority, visibleAt: visibleAt, maxRetries: maxRetries,
            uniqueKey: uniqueKey, uniqueFor: uniqueFor)
    }
}

extension LeasedJob {
    /// The payload as text.
    public var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` (of real time) passes:
/// how a test waits for something another task or process does, instead of sleeping.
public func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return try await condition()
}
