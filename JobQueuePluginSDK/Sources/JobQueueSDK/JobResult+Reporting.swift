import CJobQueuePlugin

extension JobResult {
    /// Hands the result's details to the host and returns the matching status.
    func report(to context: JobContext) -> jq_status {
        switch kind {
        case .ok(let result):
            if let result { context.setResult(result) }
            return JQ_OK
        case .error(let message):
            context.setMessage(message)
            return JQ_ERROR
        case .snooze(let milliseconds):
            context.setSnooze(milliseconds: milliseconds)
            return JQ_SNOOZE
        case .discard(let reason):
            context.setMessage(reason)
            return JQ_DISCARD
        }
    }
}
