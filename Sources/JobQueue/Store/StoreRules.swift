/// Rules every store applies the same way, stated once: a backend only turns them into statements.
public enum StoreRules {
    /// The pointer time a newly stored job gives its queue: its visible time, but a millisecond
    /// early when it is visible at once. A queue served during this millisecond has its pointer at
    /// this millisecond, and must not win the tie against a newcomer (it would, again and again,
    /// while its batches take under a millisecond).
    public static func pointerTime(forJobVisibleAt visibleAt: Timestamp, now: Timestamp) -> Timestamp {
        visibleAt <= now ? Timestamp(rawValue: visibleAt.rawValue - 1) : visibleAt
    }

    /// The lease a settle checks before releasing a queue held at its `max_running_per_queue`:
    /// the one lease that the jobs just settled in the queue held, if they held one. While it
    /// still holds another job of the queue, its batch runs on and the queue stays held; with no
    /// such lease (several, or a cancel), the queue is released (the next take counts again).
    public static func heldLease(settled leases: Set<LeaseToken>) -> LeaseToken? {
        leases.count == 1 ? leases.first : nil
    }

    /// The dead-letter reason of a job whose runner vanished during its last allowed attempt (its
    /// lease expired while it ran, and it has no retries left), with `%s` standing for the attempt:
    /// such a job is dead-lettered (kind `failed`) when next leased instead of run again.
    public static let runnerVanishedReasonFormat = "lease expired during attempt %s (runner vanished)"

    /// ``runnerVanishedReasonFormat`` for `attempt`.
    public static func runnerVanishedReason(attempt: Int) -> String {
        runnerVanishedReasonFormat.replacing("%s", with: "\(attempt)")
    }

    /// How long the record of a host that stopped heart-beating is kept (status shows it as gone)
    /// before a heartbeat of another host deletes it.
    public static let hostRecordRetention: Duration = .seconds(3600)

    /// How many runs a job's history keeps: the latest ones.
    public static let historyLength = 20

    /// The error a job's history gives a run whose host vanished (its lease ran out).
    public static let lostRunError = "its host vanished; the lease ran out"
}
