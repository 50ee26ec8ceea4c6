/// What a plugin's `jq_perform` reported for one job, as the fork server passed it on.
public struct PluginOutcome: Sendable, Equatable {
    /// `jq_status` (an invalid status from a plugin already arrives as `.error`).
    public enum Status: UInt8, Sendable {
        case ok = 0
        case error = 1
        case snooze = 2
        case discard = 3
    }

    public var status: Status
    /// The error message or discard reason; empty when the plugin set none.
    public var message: String
    /// The result bytes, if the plugin set any (at most 1 MiB).
    public var result: [UInt8]?
    /// The snooze delay the plugin set (0 if none).
    public var snoozeMilliseconds: UInt64
    /// Jobs the run asked to enqueue.
    public var followUps: [FollowUp]

    public init(
        status: Status, message: String = "", result: [UInt8]? = nil,
        snoozeMilliseconds: UInt64 = 0, followUps: [FollowUp] = []
    ) {
        self.status = status
        self.message = message
        self.result = result
        self.snoozeMilliseconds = snoozeMilliseconds
        self.followUps = followUps
    }
}
