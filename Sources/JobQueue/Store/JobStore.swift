/// Durable storage at the level of queue operations: what the pipeline, the CLI and the library
/// API need, and nothing about how a backend lays it out.
///
/// Every method is one transaction: it happens entirely or not at all. Policy (backoff, retry
/// limits, defaults) stays with the caller; a store only applies decisions.
public protocol JobStore: Sendable {
    /// Stores every job or none. Nil priority / max_retries take the library defaults (100, 3).
    func enqueue(_ jobs: [NewJob]) async throws -> [JobID]

    /// Queues of `topics` holding visible work at `now`, least recently served first: a range scan
    /// of the pointer index whose cost grows with the number of ready queues only.
    func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey]

    /// The earliest time any queue of `topics` has work that `limits` let a take start, if any:
    /// how long the scanner may sleep. A topic at its `max_running` counts from its earliest
    /// running lease's expiry, one at its `rate` from when its window slides (a settle wakes
    /// hosts sooner through ``changes(checkingEvery:)``).
    func nextVisibleTime(topics: Set<String>, limits: [String: TopicLimits], now: Timestamp) async throws -> Timestamp?

    /// Leases `queue` for the duration of the call and leases up to `limit` of its visible jobs in
    /// order for `duration`, charging each an attempt. Jobs whose previous runner vanished after their
    /// last allowed attempt are dead-lettered instead of run again. Topics' limits do not apply:
    /// this is the single-queue primitive (tests, tools); the pipeline leases through `take`.
    func lease(queue: QueueKey, limit: Int, duration: Duration, owner: String, now: Timestamp) async throws -> [LeasedJob]

    /// The pipeline's take, in one transaction: scans up to `scan` ready queues of `topics`, least
    /// recently served first, and fills one batch within `limits` per list of queues `plan` makes
    /// of them (see `BatchFill`), taking the queues of a list in order and skipping those whose
    /// topic has no room left. Each batch gets its own lease token; every served queue counts as
    /// served now. Nil when no queue is ready (nothing is written then).
    func take(
        topics: Set<String>, scan: Int, plan: @escaping @Sendable ([QueueKey]) -> [[QueueKey]],
        limits: BatchLimits, duration: Duration, owner: String, now: Timestamp
    ) async throws -> [[LeasedJob]]?

    /// Pushes the lease expiry of jobs still held under the given tokens to `until`.
    /// Returns how many leases were still held.
    @discardableResult
    func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int

    /// Applies finished runs. A settlement whose lease is no longer held is skipped, together with
    /// its follow-up jobs. Returns, per settlement, whether it was applied.
    @discardableResult
    func settle(_ settlements: [Settlement]) async throws -> [Bool]

    /// Dead letters matching `selector`, oldest first (newest first if it says so).
    func deadLetters(matching selector: DeadLetterSelector, limit: Int?) async throws -> [DeadLetter]

    /// Moves matching dead letters back into their queues, visible now, starting again from attempt 1.
    func retryDeadLetters(matching selector: DeadLetterSelector, now: Timestamp) async throws -> Int

    /// Deletes matching dead letters for good.
    func purgeDeadLetters(matching selector: DeadLetterSelector) async throws -> Int

    /// The job with this id wherever it is now (queued, leased, dead, or kept after it
    /// completed), with its history; nil when no job has it.
    func job(_ id: JobID, now: Timestamp) async throws -> JobRecord?

    /// Jobs matching `filter`, most recently enqueued first, at most `limit`.
    func jobs(matching filter: JobFilter, limit: Int, now: Timestamp) async throws -> [JobRecord]

    /// Deletes up to `limit` completed jobs that completed before `completedBefore`, up to `limit`
    /// dead letters that died before `deadBefore` (none when nil), and up to `limit` unique-key
    /// holds over before `completedBefore` (and before now), oldest
    /// first; returns how many went. Bounded, so that pruning a backlog never holds the store for
    /// long.
    func prune(completedBefore: Timestamp, deadBefore: Timestamp?, limit: Int) async throws -> Int

    /// How long ready queues have waited, per topic, and the `queues` longest-waiting ready queues:
    /// a loose index scan of the pointer index whose cost grows with the topics and `queues`,
    /// never with the jobs or tenants.
    func readyLag(now: Timestamp, queues: Int) async throws -> ReadyLag

    /// Pauses `topic`, every queue of it when `queueID` is nil, else that queue: no host starts
    /// its jobs until it is resumed (the ready scan passes over it). Returns false when it was
    /// paused already.
    func pause(topic: String, queueID: String?, now: Timestamp) async throws -> Bool

    /// Undoes ``pause(topic:queueID:now:)`` and wakes idle hosts. Returns false when it was not
    /// paused.
    func resume(topic: String, queueID: String?) async throws -> Bool

    /// Cancels the live jobs of `selection`: each becomes a dead letter of kind `cancelled` with
    /// `reason` (who cancelled it), and a job running now gets a `cancelled` run in its history;
    /// the host running it learns of it through ``cancelledJobs(among:)`` and kills its child,
    /// and its settlement is skipped (its lease is gone). Wakes hosts. Returns the ids cancelled.
    func cancel(_ selection: JobSelection, reason: String, now: Timestamp) async throws -> [JobID]

    /// Which of `ids` (the jobs a host runs) have been cancelled: one primary-key lookup each.
    func cancelledJobs(among ids: [JobID]) async throws -> [JobID]

    /// Records `tick` as the last tick of the schedule called `schedule` and stores `job` (if
    /// any), in one transaction, unless the recorded tick is at or past `tick` already (another
    /// host got there first): then it changes nothing and returns false.
    func recordTick(schedule: String, tick: Timestamp, job: NewJob?) async throws -> Bool

    /// The last tick recorded for each schedule.
    func scheduleTicks() async throws -> [String: Timestamp]

    /// Counts per queue and topic, the hosts currently alive and the pauses.
    func status(now: Timestamp) async throws -> StoreStatus

    /// The hosts currently alive, from their records alone: what they serve and run, and their
    /// running jobs' progress (cheap, unlike `status`, which counts every queue).
    func hosts(now: Timestamp) async throws -> [HostRecord]

    /// Records (or refreshes) a running host and the topics it serves, so status can tell served
    /// topics from unserved ones. A host not refreshed for `ttl` counts as gone.
    func heartbeat(_ host: HostRecord, ttl: Duration) async throws

    /// Removes a host record at shutdown.
    func removeHost(id: String) async throws

    /// Throws if the store can no longer be used safely (for a file: it was deleted or replaced).
    /// Hosts call it periodically and stop on failure.
    func checkHealth() async throws

    /// Yields soon after any connection — another process included — commits, checking about every
    /// `interval`: the cheap wake-up that lets an idle host start work enqueued elsewhere without
    /// waiting for its next poll. Ends when the iterating task is cancelled.
    func changes(checkingEvery interval: Duration) -> AsyncStream<Void>

    /// Releases what the store holds open (connections, background tasks). The store must not be
    /// used afterwards. Stores that hold nothing need not implement it.
    func close() async
}

extension JobStore {
    public func close() async {}

    /// The earliest time any queue of `topics` has work, limits aside.
    public func nextVisibleTime(topics: Set<String>) async throws -> Timestamp? {
        try await nextVisibleTime(topics: topics, limits: [:], now: .now)
    }
}
