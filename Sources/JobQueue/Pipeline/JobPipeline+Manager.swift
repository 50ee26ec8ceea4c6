import Foundation

extension JobPipeline {
    /// Serves consumers' requests, so a host scans with one task however many consumers it runs.
    /// Every consumer waiting when a scan starts is served by that scan, in one transaction.
    /// Consumers get nil once the manager ends, also when its task is cancelled.
    func manage(_ requests: BatchRequests) async {
        defer { requests.finish() }
        var group = ScanGroup()
        while var waiting = await requests.take() {
            while !waiting.isEmpty {
                guard let batches = await nextBatches(count: waiting.count, group: &group) else {
                    for request in waiting { request.resume(returning: nil) }
                    break
                }
                for batch in batches { waiting.removeFirst().resume(returning: batch) }
                waiting += requests.takeWaiting()
            }
        }
    }

    /// Scans until at least one (and at most `count`) batch is leased, each of one topic and within
    /// its size, or returns nil once the worker is stopping. `group` learns from every take.
    private func nextBatches(count: Int, group: inout ScanGroup) async -> [[LeasedJob]]? {
        while !isStopping && !Task.isCancelled {
            let topics = executor.servedTopics
            let topicLimits = executor.policies.limits(of: topics)
            let limits = sizer.withLock { sizer in
                BatchLimits(
                    batchSize: settings.batchSize, perTopic: Dictionary(uniqueKeysWithValues: topics.map { ($0, sizer.size(for: $0)) }),
                    topicLimits: topicLimits)
            }
            var sleep = settings.poll
            do {
                let now = clock.now
                let width = group.size(scanWidth: settings.scanWidth, largestBatch: limits.largestBatch)
                if let taken = try await take(count, topics: topics, width: width, limits: limits, now: now) {
                    group.record(taken)
                    let leased = taken.filter { !$0.isEmpty }
                    if leased.isEmpty { continue }  // the pointers were stale; leasing refreshed them
                    for batch in leased { leases.add(batch) }
                    return leased
                }
                let next = try await store.nextVisibleTime(topics: topics, limits: topicLimits, now: now)
                if settings.drain && next == nil && batchesRunning.load(ordering: .acquiring) == 0 {
                    logger.info("drained: no ready, scheduled or running jobs (but those of paused topics and queues)")
                    shutdown()
                    return nil
                }
                if let next { sleep = min(sleep, max(next - clock.now, .milliseconds(1))) }
            } catch {
                logger.error("scan failed: \(error)")
            }
            await doorbell.wait(upTo: sleep, on: clock)
        }
        return nil
    }

    /// `count` takes from the ready line, least recently served first; nil when no queue is ready.
    /// The first take starts at the head of the line, so the queue that has waited longest is
    /// served by every scan. As if they ran one after another, take i > 0 picks at random among
    /// the i-th group of `width` ready queues (see `ScanGroup`; the first group again when the
    /// line is shorter), so that consumers and hosts spread over the line. Each take fills its
    /// batch from its group in that order: a queue with enough work fills it alone, sparse queues
    /// of its topic share it. Batches may come back short or empty (stale pointers).
    private func take(_ count: Int, topics: Set<String>, width: Int, limits: BatchLimits, now: Timestamp) async throws -> [[LeasedJob]]? {
        let plan: @Sendable ([QueueKey]) -> [[QueueKey]] = { ready in
            (0..<count).map { index in
                let start = index * width
                let group = start < ready.count ? ready[start..<min(start + width, ready.count)] : ready.prefix(width)
                return index == 0 ? [group[group.startIndex]] + group.dropFirst().shuffled() : group.shuffled()
            }
        }
        return try await store.take(
            topics: topics, scan: width * count, plan: plan, limits: limits, duration: settings.lease, owner: hostID, now: now)
    }
}
