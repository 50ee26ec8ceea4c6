import CJobQueuePlugin

/// Severity of a line sent with ``JobContext/log(_:level:)``; the host's log levels.
public enum LogLevel: Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    /// The ABI's value for this level.
    var cValue: jq_log_level {
        switch self {
        case .trace: JQ_LOG_TRACE
        case .debug: JQ_LOG_DEBUG
        case .info: JQ_LOG_INFO
        case .notice: JQ_LOG_NOTICE
        case .warning: JQ_LOG_WARNING
        case .error: JQ_LOG_ERROR
        case .critical: JQ_LOG_CRITICAL
        }
    }
}
