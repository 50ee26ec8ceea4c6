import Foundation
import GRDB

extension SQLiteJobStore {
    public func status(now: Timestamp) async throws -> StoreStatus {
        try await pool.read { db in
            let counts = try Self.queueCounts(db, now: now.rawValue)
            let hosts = try Self.hosts(db, now: now)
            let queues = counts.sorted { ($0.queueID, $0.topic) < ($1.queueID, $1.topic) }
            return StoreStatus(queues: queues, hosts: hosts, pauses: try Self.pauses(db), rateWindows: try Self.rateWindows(db))
        }
    }

    public func hosts(now: Timestamp) async throws -> [HostRecord] {
        try await pool.read { db in try Self.hosts(db, now: now) }
    }

    /// The hosts whose record has not expired at `now`, oldest first.
    static func hosts(_ db: Database, now: Timestamp) throws -> [HostRecord] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, hostname, pid, topics, started_at, seen_at, note, running, stopping, generation, progress
                FROM hosts WHERE expires_at > ? ORDER BY started_at
                """,
            arguments: [now.rawValue]
        ).map { row in
            HostRecord(
                id: row[0], hostname: row[1], pid: row[2],
                topics: (row[3] as String).split(separator: "\n").map(String.init),
                startedAt: Timestamp(rawValue: row[4]), seenAt: Timestamp(rawValue: row[5]), note: row[6],
                running: HostRecord.running(fromText: row[7]), stopping: row[8], generation: row[9],
                progress: RunningProgress.list(fromText: row[10]))
        }
    }

    public func heartbeat(_ host: HostRecord, ttl: Duration) async throws {
        let expiry = host.seenAt.rawValue + ttl.milliseconds
        // Not worth an fsync: a heartbeat lost to a power cut is the next one's to make.
        try await writer.write(durable: false) { db in
            try db.execute(
                sql: """
                    INSERT INTO hosts(id, hostname, pid, topics, started_at, seen_at, expires_at, note, running, stopping, generation, progress)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET
                        topics = excluded.topics, seen_at = excluded.seen_at, expires_at = excluded.expires_at, note = excluded.note,
                        running = excluded.running, stopping = excluded.stopping, generation = excluded.generation,
                        progress = excluded.progress
                    """,
                arguments: [
                    host.id, host.hostname, host.pid, host.topics.joined(separator: "\n"),
                    host.startedAt.rawValue, host.seenAt.rawValue, expiry, host.note, host.runningText, host.stopping,
                    host.generation, host.progressText,
                ])
            // Forget hosts that stopped heart-beating long ago.
            try db.execute(
                sql: "DELETE FROM hosts WHERE seen_at < ?", arguments: [host.seenAt.rawValue - StoreRules.hostRecordRetention.milliseconds])
        }
    }

    public func removeHost(id: String) async throws {
        try await writer.write { db in try db.execute(sql: "DELETE FROM hosts WHERE id = ?", arguments: [id]) }
    }
}
