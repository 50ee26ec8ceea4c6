extension NewJob {
    /// Longest queue id or topic, in UTF-8 bytes.
    public static let maxNameBytes = 255
    /// Longest unique key, in UTF-8 bytes.
    public static let maxUniqueKeyBytes = 1024
    /// Longest `uniqueFor`: about a hundred years (a plugin's "forever" is cut to it).
    public static let maxUniqueFor: Duration = .seconds(36_500 * 86_400)

    /// Checks what every store requires; returns a one-line reason for the first problem.
    public func validationError(maxPayload: Int? = nil) -> String? {
        if let problem = Self.nameProblem(queueID, field: "queue id") { return problem }
        if let problem = Self.nameProblem(topic, field: "topic") { return problem }
        if let maxPayload, payload.count > maxPayload {
            return "payload is \(payload.count) bytes, over the limit of \(maxPayload) bytes"
        }
        if let maxRetries, maxRetries < 0 { return "max retries must be 0 or more, got \(maxRetries)" }
        if let uniqueKey {
            if uniqueKey.isEmpty { return "unique key is empty" }
            if uniqueKey.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                return "unique key contains a control character"
            }
            if uniqueKey.utf8.count > Self.maxUniqueKeyBytes {
                return "unique key is \(uniqueKey.utf8.count) bytes, over the limit of \(Self.maxUniqueKeyBytes)"
            }
        }
        if let uniqueFor {
            if uniqueKey == nil { return "unique-for needs a unique key" }
            if uniqueFor <= .zero || uniqueFor > Self.maxUniqueFor {
                return "unique-for must be positive and at most \(Self.maxUniqueFor.text), got \(uniqueFor.text)"
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
    /// 1...255 printable ASCII bytes (none of which is a control character) and no negative retry
    /// limit. Anything else gets the full check, and its exact message.
    private var isPlainlyValid: Bool {
        func plain(_ name: String) -> Bool {
            var name = name
            return name.withUTF8 { bytes in
                bytes.count >= 1 && bytes.count <= Self.maxNameBytes && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            }
        }
        return plain(queueID) && plain(topic) && (maxRetries ?? 0) >= 0 && uniqueKey == nil && uniqueFor == nil
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
