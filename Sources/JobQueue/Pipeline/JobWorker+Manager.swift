import Foundation

extension JobWorker {
    /// Serves consumers' requests, so a host scans with one task however many consumers it runs.
    /// Every consumer waiting when a scan starts is served by that scan, in one transaction.
    func manage(_ requests: BatchRequests) async {
        while var waiting = await requests.take() {
            while !waiting.isEmpty {
                guard let batches = await nextBatches(count: waiting.count) else {
                    for request in waiting { request.resume(returning: nil) }
                    break
                }
                for batch in batches { waiting.removeFirst().resume(returning: batch) }
                waiting += requests.takeWaiting()
            }
        }
    }

    /// Scans until at least one (and at most `count`) batch is leased, or returns nil once the
    /// worker is stopping.
    private func nextBatches(count: Int) async -> [[LeasedJob]]? {
        while !isStopping && !Task.isCancelled {
            let topics = Set(executor.topics.keys)
            var sleep = settings.poll
            do {
                let now = Timestamp.now
                let width = max(settings.scanWidth, 1)
                if let batches = try await take(count, topics: topics, width: width, now: now) {
                    let leased = batches.filter { !$0.isEmpty }
                    if leased.isEmpty { continue }  // the pointers were stale; leasing refreshed them
                    for batch in leased { leases.add(batch) }
                    return leased
                }
                let next = try await store.nextVisibleTime(topics: topics)
                if settings.drain && next == nil && batchesRunning.load(ordering: .acquiring) == 0 {
                    logger.info("drained: no ready, scheduled or running jobs")
                    shutdown()
                    return nil
                }
                if let next { sleep = min(sleep, max(next - Timestamp.now, .milliseconds(1))) }
            } catch {
                logger.error("scan failed: \(error)")
            }
            await doorbell.wait(upTo: sleep)
        }
        return nil
    }

    /// `count` takes from the ready line, least recently served first; nil when no queue is ready.
    /// As if they ran one after another, take i picks at random among the i-th group of `width`
    /// ready queues (the first group again when the line is shorter), and fills its batch from them
    /// in that random order: a queue with enough work fills it alone, sparse queues share it.
    /// Batches may come back short or empty (stale pointers).
    private func take(_ count: Int, topics: Set<String>, width: Int, now: Timestamp) async throws -> [[LeasedJob]]? {
        let plan: @Sendable ([QueueKey]) -> [[QueueKey]] = { ready in
            (0..<count).map { index in
                let start = index * width
                let group = start < ready.count ? ready[start..<min(start + width, ready.count)] : ready.prefix(width)
                return group.shuffled()
            }
        }
        if let batchLeasing {
            return try await batchLeasing.take(
                topics: topics, scan: width * count, plan: plan, limit: settings.batchSize, duration: settings.lease, owner: hostID, now: now)
        }
        let ready = try await store.readyQueues(topics: topics, now: now, limit: width * count)
        if ready.isEmpty { return nil }
        var batches: [[LeasedJob]] = []
        for queues in plan(ready) {
            batches.append(try await store.lease(queue: queues[0], limit: settings.batchSize, duration: settings.lease, owner: hostID, now: now))
        }
        return batches
    }
}
