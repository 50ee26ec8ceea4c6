/// The `log:` section.
public struct LogConfiguration: Sendable, Equatable {
    /// How log lines are written.
    public enum Format: String, Sendable, Equatable, CaseIterable {
        /// One human-readable line per event.
        case text
        /// One JSON object per line, for log collectors.
        case json
    }

    /// The level names `level` accepts, least severe first: the names of swift-log's
    /// `Logger.Level`, so `Logger.Level(rawValue:)` takes any of them.
    public static let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The least severe level written; one of `levels`. Default `info`.
    public var level: String
    /// Default `text`.
    public var format: Format

    public init(level: String = "info", format: Format = .text) {
        self.level = level
        self.format = format
    }
}
