import CJobQueuePlugin

/// What a run may ask of the host besides returning its result: log lines, progress reports and
/// follow-up jobs.
///
/// Valid only during the ``JobWorker/perform(_:_:_:)`` call that received it; do not keep it or
/// use it from another thread.
public struct JobContext {
    let raw: UnsafeMutablePointer<jq_context>

    init(_ raw: UnsafeMutablePointer<jq_context>) { self.raw = raw }

    /// Writes one line into the host's log, tagged with the job's id, queue, topic and attempt.
    public func log(_ message: String, level: LogLevel = .info) {
        message.withCString { raw.pointee.log?(raw, level.cValue, $0) }
    }

    /// Says how far this run has come, for operators (`jobqueue status --json`, `jobqueue jobs
    /// show`, the dashboard): `percent` from 0 to 100 and a short message. Cheap to call often:
    /// the host keeps at most one report every 100 ms. Does nothing on a host older than ABI 1.2.
    public func progress(_ percent: Int, _ message: String = "") {
        let offset = MemoryLayout<jq_context>.offset(of: \jq_context.progress) ?? .max
        guard raw.pointee.size >= offset + MemoryLayout<UnsafeRawPointer?>.size, let progress = raw.pointee.progress else { return }
        _ = message.withCString { progress(raw, UInt32(min(max(percent, 0), 100)), $0) }
    }

    /// Asks for a follow-up job, stored in the same transaction as this job's success: it exists
    /// if and only if this run returns `.ok` and that is recorded (after an error, a snooze, a
    /// discard or a crash it is dropped).
    ///
    /// - Parameters:
    ///   - queueID: the tenant queue of the new job, usually this job's ``JobMetadata/queueID``.
    ///   - topic: the new job's topic; it may be served by this host or another.
    ///   - payload: the new job's payload bytes (at most 1 MiB).
    ///   - priority: lower runs first; nil takes the topic's default.
    ///   - delay: how long after the completion the job becomes visible; nil means at once.
    ///   - maxRetries: retries after its first run; nil takes the topic's default.
    ///   - uniqueKey: at most one live job of the topic with this key; nil for none.
    ///   - uniqueFor: with `uniqueKey`, how long the key stays taken after the job is stored.
    /// - Throws: ``EnqueueRefused`` when an argument is out of range or a limit of
    ///   `jobqueue_plugin.h` (payload size, number of follow-ups) is reached.
    public func enqueue(
        queueID: String, topic: String, payload: [UInt8],
        priority: Int? = nil, delay: Duration? = nil, maxRetries: Int? = nil, uniqueKey: String? = nil, uniqueFor: Duration? = nil
    ) throws {
        var options = jq_enqueue_options()
        options.size = MemoryLayout<jq_enqueue_options>.size
        if let priority {
            guard let value = Int32(exactly: priority) else { throw EnqueueRefused("priority \(priority) is out of range") }
            options.set |= UInt32(JQ_ENQUEUE_PRIORITY)
            options.priority = value
        }
        if let delay {
            let (seconds, attoseconds) = delay.components
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            guard milliseconds >= 0 else { throw EnqueueRefused("delay \(delay) is negative") }
            options.set |= UInt32(JQ_ENQUEUE_DELAY)
            options.delay_ms = UInt64(milliseconds)
        }
        if let maxRetries {
            guard let value = UInt32(exactly: maxRetries) else { throw EnqueueRefused("maxRetries \(maxRetries) is out of range") }
            options.set |= UInt32(JQ_ENQUEUE_MAX_RETRIES)
            options.max_retries = value
        }
        if let uniqueFor {
            guard uniqueKey != nil, uniqueFor > .zero else { throw EnqueueRefused("uniqueFor needs a uniqueKey and a positive duration") }
            let (seconds, attoseconds) = uniqueFor.components
            options.set |= UInt32(JQ_ENQUEUE_UNIQUE_FOR)
            // Rounded up (a positive duration under a millisecond is one millisecond, not none);
            // "forever" is cut to what the host keeps at most anyway.
            let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            let rounded = overflow ? Int64.max : milliseconds &+ (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            options.unique_for_ms = UInt64(min(max(rounded, 1), 3_153_600_000_000))
        }
        guard let enqueue = raw.pointee.enqueue else { throw EnqueueRefused("the host offers no enqueue") }
        let status = payload.withUnsafeBufferPointer { bytes in
            queueID.withCString { queue in
                topic.withCString { topic in
                    (uniqueKey ?? "").withCString { key in
                        if uniqueKey != nil {
                            options.set |= UInt32(JQ_ENQUEUE_UNIQUE_KEY)
                            options.unique_key = key
                        }
                        return enqueue(raw, queue, topic, bytes.baseAddress, bytes.count, &options)
                    }
                }
            }
        }
        guard status == 0 else {
            throw EnqueueRefused("the host refused follow-up \(queueID)/\(topic) (\(payload.count) payload bytes)")
        }
    }

    // MARK: Reporting the result (used by the SDK's jq_perform)

    func setResult(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { raw.pointee.set_result?(raw, $0.baseAddress, $0.count) }
    }

    func setMessage(_ message: String) {
        _ = message.withCString { raw.pointee.set_message?(raw, $0) }
    }

    func setSnooze(milliseconds: UInt64) {
        _ = raw.pointee.set_snooze?(raw, milliseconds)
    }
}

/// Thrown by ``JobContext/enqueue(queueID:topic:payload:priority:delay:maxRetries:uniqueKey:uniqueFor:)`` when the
/// follow-up cannot be accepted.
public struct EnqueueRefused: Error, CustomStringConvertible {
    /// What was refused and why, in one line.
    public let description: String

    init(_ description: String) { self.description = description }
}
