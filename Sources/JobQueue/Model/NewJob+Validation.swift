extension NewJob {
    /// Longest queue id or topic, in UTF-8 bytes.
    public static let maxNameBytes = 255
    /// Longest unique key, in UTF-8 bytes.
    public static let maxUniqueKeyBytes = 1024
    /// Longest `uniqueFor`: about a hundred years (a plugin's "forever" is cut to it).
    public static let maxUniqueFor: Duration = .seconds(36_500 * 86_400)
    /// The priorities a job may have: those of a 32-bit integer, PostgreSQL's `integer` column.
    public static let priorityRange = Int(Int32.min)...Int(Int32.max)
    /// The largest retry limit: a 32-bit integer's, PostgreSQL's `integer` column.
    public static let maxMaxRetries = Int(Int32.max)

    /// The first problem `validationError(maxPayload:)` finds, with the job's field at fault.
    public struct ValidationProblem: Sendable, Equatable {
        /// The field at fault, as a job object names it (``NewJob/jsonFields``: `queue`, `topic`,
        /// `payload`, `priority`, `max_retries`, `unique_key`, `unique_for`).
        public var field: String
        /// The one-line reason.
        public var reason: String
    }

    /// Checks what every store requires; returns a one-line reason for the first problem.
    public func validationError(maxPayload: Int? = nil) -> String? {
        validationProblem(maxPayload: maxPayload)?.reason
    }

    /// Checks what every store requires; returns the first problem and the field at fault.
    public func validationProblem(maxPayload: Int? = nil) -> ValidationProblem? {
        func problem(_ field: String, _ reason: String) -> ValidationProblem { ValidationProblem(field: field, reason: reason) }
        if let reason = Self.nameProblem(queueID, field: "queue id") { return problem("queue", reason) }
        if let reason = Self.nameProblem(topic, field: "topic") { return problem("topic", reason) }
        if let maxPayload, payload.count > maxPayload {
            return problem("payload", "payload is \(payload.count) bytes, over the limit of \(maxPayload) bytes")
        }
        if let priority, !Self.priorityRange.contains(priority) {
            return problem(
                "priority", "priority must be between \(Self.priorityRange.lowerBound) and \(Self.priorityRange.upperBound), got \(priority)")
        }
        if let maxRetries, maxRetries < 0 { return problem("max_retries", "max retries must be 0 or more, got \(maxRetries)") }
        if let maxRetries, maxRetries > Self.maxMaxRetries {
            return problem("max_retries", "max retries is \(maxRetries), over the limit of \(Self.maxMaxRetries)")
        }
        if let uniqueKey {
            if uniqueKey.isEmpty { return problem("unique_key", "unique key is empty") }
            if uniqueKey.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return problem("unique_key", "unique key contains a control character")
            }
            if uniqueKey.utf8.count > Self.maxUniqueKeyBytes {
                return problem("unique_key", "unique key is \(uniqueKey.utf8.count) bytes, over the limit of \(Self.maxUniqueKeyBytes)")
            }
        }
        if let uniqueFor {
            if uniqueKey == nil { return problem("unique_for", "unique-for needs a unique key") }
            if uniqueFor <= .zero || uniqueFor > Self.maxUniqueFor {
                return problem("unique_for", "unique-for must be positive and at most \(Self.maxUniqueFor.text), got \(uniqueFor.text)")
            }
        }
        return nil
    }

    /// What a store checks before storing anything: throws `StoreError.invalidJob` for the first
    /// job that fails `validationError()`. Plain names skip the full Unicode scan.
    public static func validate(_ jobs: [NewJob]) throws {
        for job in jobs where !job.isPlainlyValid {
            if let problem = job.validationError() { throw StoreError.invalidJob(problem) }
        }
    }

    /// True for the common job `validationError()` would pass without looking further: names of
    /// 1...255 printable ASCII bytes (none of which is a control character), a priority and a
    /// retry limit within their ranges. Anything else gets the full check, and its exact message.
    private var isPlainlyValid: Bool {
        func plain(_ name: String) -> Bool {
            var name = name
            return name.withUTF8 { bytes in
                bytes.count >= 1 && bytes.count <= Self.maxNameBytes && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            }
        }
        return plain(queueID) && plain(topic) && Self.priorityRange.contains(priority ?? 0)
            && (0...Self.maxMaxRetries).contains(maxRetries ?? 0) && uniqueKey == nil && uniqueFor == nil
    }

    private static func nameProblem(_ name: String, field: String) -> String? {
        if name.isEmpty { return "\(field) is empty" }
        if name.utf8.count > maxNameBytes {
            return "\(field) is \(name.utf8.count) bytes, over the limit of \(maxNameBytes)"
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "\(field) contains a control character"
        }
        return nil
    }
}
