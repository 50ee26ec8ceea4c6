import JobQueue

/// A leased job for tests: `payload` as UTF-8, lease token derived from the id.
func leasedJob(_ id: Int64, _ payload: String, topic: String = "fault", queue: String = "q1", attempt: Int = 1) -> LeasedJob {
    LeasedJob(
        id: JobID(rawValue: id), queueID: queue, topic: topic, payload: Array(payload.utf8),
        priority: 100, attempt: attempt, maxRetries: 3, lease: LeaseToken(rawValue: "lease-\(id)")
    )
}

/// A batch of leased jobs numbered from `firstID`, one per payload.
func leasedBatch(_ payloads: [String], topic: String = "fault", firstID: Int64 = 1) -> [LeasedJob] {
    payloads.enumerated().map { leasedJob(firstID + Int64($0.offset), $0.element, topic: topic) }
}
