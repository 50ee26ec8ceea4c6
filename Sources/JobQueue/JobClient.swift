import Foundation

/// The producer's and operator's side of a queue: enqueue with topic defaults and limits applied,
/// inspect, and manage dead letters. Cheap to copy; share one store between clients and workers.
public struct JobClient: Sendable {
    /// The store jobs go into.
    public let store: any JobStore
    /// The defaults applied to jobs enqueued without their own priority or retry limit.
    public var policies: TopicPolicies
    /// Largest payload accepted, in bytes.
    public var maxPayload: Int

    /// A client of `store`. `policies` should be the ones the workers use (for an
    /// ``InProcessExecutor``, its ``InProcessExecutor/policies``), so both agree on each topic's
    /// defaults.
    public init(store: any JobStore, policies: TopicPolicies = TopicPolicies(), maxPayload: Int = 1 << 20) {
        self.store = store
        self.policies = policies
        self.maxPayload = maxPayload
    }

    /// Enqueues one job and returns its id. `at` (absolute) wins over `in` (a delay from now).
    /// With a `uniqueKey` taken by a live job of the topic (or a hold of `uniqueFor`), nothing is
    /// stored and the id is that job's.
    @discardableResult
    public func enqueue(
        queue queueID: String, topic: String, payload: [UInt8], priority: Int? = nil,
        at: Date? = nil, in delay: Duration? = nil, maxRetries: Int? = nil, uniqueKey: String? = nil, uniqueFor: Duration? = nil
    ) async throws -> JobID {
        let job = NewJob(
            queueID: queueID, topic: topic, payload: payload, priority: priority,
            visibleAt: NewJob.scheduled(at: at.map(Timestamp.init), in: delay), maxRetries: maxRetries, uniqueKey: uniqueKey,
            uniqueFor: uniqueFor)
        return try await enqueue([job])[0]
    }

    /// Enqueues every job in one transaction, or none of them: the first invalid job is reported
    /// (with its position) and nothing is stored.
    @discardableResult
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        var resolved: [NewJob] = []
        resolved.reserveCapacity(jobs.count)
        for (index, job) in jobs.enumerated() {
            if let problem = job.validationError(maxPayload: maxPayload) {
                throw StoreError.invalidJob(jobs.count == 1 ? problem : "job \(index + 1): \(problem)")
            }
            resolved.append(job.withDefaults(from: policies[job.topic]))
        }
        return try await store.enqueue(resolved)
    }

    /// Job counts per queue and topic, and the hosts currently alive.
    public func status() async throws -> StoreStatus {
        try await store.status(now: .now)
    }

    /// The hosts currently alive (see ``JobStore/hosts(now:)``).
    public func hosts() async throws -> [HostRecord] {
        try await store.hosts(now: .now)
    }

    /// How long ready queues have waited for a take: per topic, and the `queues` that waited
    /// longest (read from the pointer index; cheap with any number of tenants).
    public func readyLag(queues: Int = 10) async throws -> ReadyLag {
        try await store.readyLag(now: .now, queues: queues)
    }

    /// The job with this id wherever it is now (queued, leased, dead, or kept after it completed),
    /// with its latest runs; nil when no job has it.
    public func job(_ id: JobID) async throws -> JobRecord? {
        try await store.job(id, now: .now)
    }

    /// Jobs matching `filter`, most recently enqueued first, at most `limit` of them.
    public func jobs(matching filter: JobFilter = JobFilter(), limit: Int = 100) async throws -> [JobRecord] {
        try await store.jobs(matching: filter, limit: limit, now: .now)
    }

    /// Dead letters matching `selector`, oldest first, at most `limit` of them.
    public func deadLetters(matching selector: DeadLetterSelector = .all, limit: Int? = nil) async throws -> [DeadLetter] {
        try await store.deadLetters(matching: selector, limit: limit)
    }

    /// Moves matching dead letters back into their queues, visible now, starting again from
    /// attempt 1 in their original enqueue order. Returns how many were moved.
    @discardableResult
    public func retryDeadLetters(matching selector: DeadLetterSelector) async throws -> Int {
        try await store.retryDeadLetters(matching: selector, now: .now)
    }

    /// Cancels the live jobs of `selection` (see ``JobStore/cancel(_:reason:now:)``); `by` says who,
    /// for the record. Returns the ids cancelled.
    @discardableResult
    public func cancel(_ selection: JobSelection, by: String) async throws -> [JobID] {
        try await store.cancel(selection, reason: "cancelled by \(by)", now: .now)
    }

    /// Pauses `topic`, or one queue of it: no host starts its jobs until it is resumed. Returns
    /// false when it was paused already.
    @discardableResult
    public func pause(topic: String, queue: String? = nil) async throws -> Bool {
        try Self.checkPauseTarget(topic: topic, queue: queue)
        return try await store.pause(topic: topic, queueID: queue, now: .now)
    }

    /// Resumes a paused topic or queue. Returns false when it was not paused.
    @discardableResult
    public func resume(topic: String, queue: String? = nil) async throws -> Bool {
        try Self.checkPauseTarget(topic: topic, queue: queue)
        return try await store.resume(topic: topic, queueID: queue)
    }

    /// A topic and queue must be names a job could have (an empty queue would mean the whole topic).
    private static func checkPauseTarget(topic: String, queue: String?) throws {
        if let problem = NewJob(queueID: queue ?? "any", topic: topic, payload: []).validationError() {
            throw StoreError.invalidJob(problem)
        }
    }

    /// Deletes matching dead letters for good. Returns how many were deleted.
    @discardableResult
    public func purgeDeadLetters(matching selector: DeadLetterSelector) async throws -> Int {
        try await store.purgeDeadLetters(matching: selector)
    }
}
