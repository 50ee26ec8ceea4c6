import Synchronization

/// A job taken from the store under a lease, ready to run.
public struct LeasedJob: Sendable, Equatable {
    public var id: JobID
    public var queueID: String
    public var topic: String
    public var payload: [UInt8]
    public var priority: Int
    /// The 1-based number of this run.
    public var attempt: Int
    public var maxRetries: Int
    /// The lease this run holds; completions and extensions must present it.
    public var lease: LeaseToken
    /// When the job became visible (enqueued, due, retried, or its last lease ran out): how
    /// long it waited for this run is measured from here. Nil when the store does not say.
    public var visibleAt: Timestamp?

    public init(
        id: JobID, queueID: String, topic: String, payload: [UInt8],
        priority: Int, attempt: Int, maxRetries: Int, lease: LeaseToken, visibleAt: Timestamp? = nil
    ) {
        self.visibleAt = visibleAt
        self.id = id
        self.queueID = queueID
        self.topic = topic
        self.payload = payload
        self.priority = priority
        self.attempt = attempt
        self.maxRetries = maxRetries
        self.lease = lease
    }

    /// True when this run is the last one `maxRetries` allows.
    public var isLastAttempt: Bool { attempt > maxRetries }
}

/// Identifies one lease act. A job whose lease expired and was taken again carries a new token, so
/// a late completion from the first runner cannot delete the second runner's job.
public struct LeaseToken: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// A token no other lease act has: `owner` (unique per process, e.g. a host id) and a
    /// counter of this process.
    public static func unique(owner: String) -> LeaseToken {
        LeaseToken(rawValue: "\(owner)#\(counter.add(1, ordering: .relaxed).newValue)")
    }

    private static let counter = Atomic<Int>(0)

    /// The owner the token was made for: the token without its trailing counter and `#`. The
    /// same as ``ownerSQL`` computes in the stores, character for character.
    public var owner: String {
        let withoutCounter = rawValue.reversed().drop { $0.isASCII && $0.isNumber }
        return String(withoutCounter.drop { $0 == "#" }.reversed())
    }

    /// SQL computing ``owner`` from a `lease_token` column (the same in SQLite and PostgreSQL).
    public static let ownerSQL = "rtrim(rtrim(lease_token, '0123456789'), '#')"
}
