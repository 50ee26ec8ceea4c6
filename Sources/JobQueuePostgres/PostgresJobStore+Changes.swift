import JobQueue
import PostgresNIO

extension PostgresJobStore {
    /// Yields when any process enqueues, retries or releases work in this store: a dedicated
    /// connection LISTENs to the store's channel, which those transactions NOTIFY on commit.
    /// If the connection drops, it reconnects after `interval` (at least 100 ms) and yields once,
    /// since notifications may have been missed meanwhile.
    public func changes(checkingEvery interval: Duration) -> AsyncStream<Void> {
        let settings = settings
        let channel = channel
        let logger = logger
        let retryDelay = max(interval, .milliseconds(100))
        return localChanges.stream { continuation in
            var connected = false
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: settings.connectionConfiguration(), id: 1, logger: logger)
                    defer { Task { try? await connection.close() } }
                    try await connection.listen(on: channel) { notifications in
                        if connected { continuation.yield() }
                        connected = true
                        for try await _ in notifications { continuation.yield() }
                    }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("store \(settings): listening for changes failed, retrying: \(Self.reason(error))")
                }
                try? await Task.sleep(for: retryDelay)
            }
        }
    }
}
