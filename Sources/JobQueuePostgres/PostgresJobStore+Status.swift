import JobQueue
import PostgresNIO

extension PostgresJobStore {
    public func status(now: Timestamp) async throws -> StoreStatus {
        try await snapshot { [self] transaction in
            let counts = try await queueCounts(now: now, in: transaction)
            let hosts = try await hosts(now: now, in: transaction)
            return StoreStatus(
                queues: counts.sorted { ($0.queueID, $0.topic) < ($1.queueID, $1.topic) }, hosts: hosts,
                pauses: try await pauses(in: transaction), rateWindows: try await rateWindows(in: transaction))
        }
    }

    public func hosts(now: Timestamp) async throws -> [HostRecord] {
        try await autocommit { [self] transaction in try await hosts(now: now, in: transaction) }
    }

    /// The hosts whose record has not expired at `now`, oldest first.
    func hosts(now: Timestamp, in transaction: PostgresTransaction) async throws -> [HostRecord] {
        try await transaction.rows(
            """
            SELECT id, hostname, pid, topics, started_at, seen_at, note, running, stopping, generation, progress FROM \(unescaped: tables).hosts
            WHERE expires_at > \(now.rawValue) ORDER BY started_at
            """
        ).map { row in
            let (id, hostname, pid, topics, startedAt, seenAt, note, running, stopping, generation, progress) = try row.decode(
                (String, String, Int32, String, Int64, Int64, String?, String, Bool, Int, String).self)
            return HostRecord(
                id: id, hostname: hostname, pid: pid, topics: topics.split(separator: "\n").map(String.init),
                startedAt: Timestamp(rawValue: startedAt), seenAt: Timestamp(rawValue: seenAt), note: note,
                running: HostRecord.running(fromText: running), stopping: stopping, generation: generation,
                progress: RunningProgress.list(fromText: progress))
        }
    }

    public func heartbeat(_ host: HostRecord, ttl: Duration) async throws {
        let expiry = host.seenAt + ttl
        try await transaction { [self] transaction in
            try await transaction.run(
                """
                INSERT INTO \(unescaped: tables).hosts (
                    id, hostname, pid, topics, started_at, seen_at, expires_at, note, running, stopping, generation, progress)
                VALUES (\(host.id), \(host.hostname), \(host.pid), \(host.topics.joined(separator: "\n")),
                    \(host.startedAt.rawValue), \(host.seenAt.rawValue), \(expiry.rawValue), \(host.note),
                    \(host.runningText), \(host.stopping), \(host.generation), \(host.progressText))
                ON CONFLICT (id) DO UPDATE SET
                    topics = excluded.topics, seen_at = excluded.seen_at, expires_at = excluded.expires_at, note = excluded.note,
                    running = excluded.running, stopping = excluded.stopping, generation = excluded.generation,
                    progress = excluded.progress
                """)
            // Forget hosts that stopped heart-beating long ago.
            let forgotten = host.seenAt.rawValue - StoreRules.hostRecordRetention.milliseconds
            try await transaction.run("DELETE FROM \(unescaped: tables).hosts WHERE seen_at < \(forgotten)")
        }
    }

    public func removeHost(id: String) async throws {
        try await autocommit { [self] in try await $0.run("DELETE FROM \(unescaped: tables).hosts WHERE id = \(id)") }
    }
}
