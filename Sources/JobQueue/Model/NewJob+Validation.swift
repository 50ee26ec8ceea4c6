extension NewJob {
    /// Longest queue id or topic, in UTF-8 bytes.
    public static let maxNameBytes = 255

    /// Checks what every store requires; returns a one-line reason for the first problem.
    public func validationError(maxPayload: Int? = nil) -> String? {
        if let problem = Self.nameProblem(queueID, field: "queue id") { return problem }
        if let problem = Self.nameProblem(topic, field: "topic") { return problem }
        if let maxPayload, payload.count > maxPayload {
            return "payload is \(payload.count) bytes, over the limit of \(maxPayload) bytes"
        }
        if let maxRetries, maxRetries < 0 { return "max retries must be 0 or more, got \(maxRetries)" }
        return nil
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
