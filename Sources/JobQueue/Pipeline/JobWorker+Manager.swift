import Foundation

/// A consumer asking the manager for its next batch; nil means "stop".
typealias BatchRequest = CheckedContinuation<[LeasedJob]?, Never>

extension JobWorker {
    /// Serves consumers' requests one at a time, so a host scans with one task however many
    /// consumers it runs.
    func manage(_ requests: AsyncStream<BatchRequest>) async {
        for await request in requests {
            request.resume(returning: await nextBatch())
        }
    }

    /// Scans until a batch is leased, or returns nil once the worker is stopping.
    private func nextBatch() async -> [LeasedJob]? {
        while !isStopping && !Task.isCancelled {
            let topics = Set(executor.topics.keys)
            var sleep = settings.poll
            do {
                let now = Timestamp.now
                let ready = try await store.readyQueues(topics: topics, now: now, limit: settings.scanWidth)
                if let queue = ready.randomElement() {
                    let batch = try await store.lease(
                        queue: queue, limit: settings.batchSize, duration: settings.lease, owner: hostID, now: now)
                    if batch.isEmpty { continue }  // the pointer was stale; leasing refreshed it
                    leases.add(batch)
                    return batch
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
}
