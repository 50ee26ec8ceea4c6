import Logging

extension Logger.Level {
    /// The level of a plugin's `jq_log_level` (trace 0 … critical 6); unknown values log as info.
    init(pluginLevel: UInt8) {
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        self = Int(pluginLevel) < levels.count ? levels[Int(pluginLevel)] : .info
    }
}
