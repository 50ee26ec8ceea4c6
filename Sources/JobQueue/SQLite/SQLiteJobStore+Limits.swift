import Foundation
import GRDB

/// Reading and keeping what topics' limits are checked against, inside the caller's
/// transaction (see ``TakeAllowance``). The running batches of a topic with `max_running` or
/// `max_running_per_queue` are the lease tokens of its rows in `limit_slots` whose job still
/// holds that lease, unexpired: the count costs the topic's leased jobs (and those settled since
/// its last take), never its backlog, and topics without such limits pay nothing.
extension SQLiteJobStore {
    /// What `limits` of `topic` are checked against at `now`: its running batches (when it has a
    /// `max_running`) and its recent starts (when it has a `rate`).
    static func usage(_ db: Database, topic: String, limits: TopicLimits, now: Int64) throws -> TopicUsage {
        var usage = TopicUsage()
        if limits.maxRunning != nil {
            let running = try RawStatement(
                db,
                """
                SELECT count(DISTINCT s.lease_token), min(j.lease_expires_at) FROM limit_slots s JOIN jobs j ON j.id = s.job_id
                WHERE s.topic = ?1 AND j.lease_token = s.lease_token AND j.lease_expires_at > ?2
                """)
            defer { running.reset() }
            running.bind(1, topic)
            running.bind(2, now)
            _ = try running.step()
            usage.running = running.int(0)
            usage.earliestExpiry = running.isNull(1) ? nil : Timestamp(rawValue: running.int64(1))
        }
        if limits.rate != nil {
            let window = try RawStatement(db, "SELECT starts FROM rate_windows WHERE topic = ?1")
            defer { window.reset() }
            window.bind(1, topic)
            if try window.step() { usage.starts = RateWindowCoding.decode(window.bytes(0)) }
        }
        return usage
    }

    /// How many batches hold jobs of `queue` at `now`.
    static func running(_ db: Database, _ queue: QueueKey, now: Int64) throws -> Int {
        let statement = try RawStatement(
            db,
            """
            SELECT count(DISTINCT s.lease_token) FROM limit_slots s JOIN jobs j ON j.id = s.job_id
            WHERE s.topic = ?1 AND s.queue_id = ?2 AND j.lease_token = s.lease_token AND j.lease_expires_at > ?3
            """)
        defer { statement.reset() }
        statement.bind(1, queue.topic)
        statement.bind(2, queue.queueID)
        statement.bind(3, now)
        _ = try statement.step()
        return statement.int(0)
    }

    /// Holds the pointers of `queues`, at their `max_running_per_queue`: raised to the earliest
    /// expiry of their running leases, so the scan passes over them until then, with `held_from`
    /// keeping when they were last served. New jobs leave a held pointer alone (`lowerPointer`);
    /// the end of a batch holding them releases them to that time (`refreshPointer`).
    static func hold(_ db: Database, _ queues: Set<QueueKey>, now: Int64) throws {
        if queues.isEmpty { return }
        let statement = try RawStatement(
            db,
            """
            UPDATE queue_pointers SET held_from = coalesce(held_from, min(vesting_at, ?3)), vesting_at = max(vesting_at, coalesce((
                SELECT min(j.lease_expires_at) FROM limit_slots s JOIN jobs j ON j.id = s.job_id
                WHERE s.topic = ?1 AND s.queue_id = ?2 AND j.lease_token = s.lease_token AND j.lease_expires_at > ?3), vesting_at))
            WHERE topic = ?1 AND queue_id = ?2
            """)
        for queue in queues {
            statement.reset()
            statement.bind(1, queue.topic)
            statement.bind(2, queue.queueID)
            statement.bind(3, now)
            try statement.run()
        }
    }

    /// Forgets the slots of `topics` whose job no longer holds the lease (an expired lease that
    /// is still held may be renewed: its slot stays, and counts again if it is). `newlyCounted`
    /// topics, counted by no take of this process before, first get a slot for each lease their
    /// jobs hold (taken by a take without limits, before a reload added them): one scan of the
    /// jobs, once.
    static func sweepSlots(_ db: Database, topics: [String], newlyCounted: Set<String>, now: Int64) throws {
        let sweep = try RawStatement(
            db,
            """
            DELETE FROM limit_slots WHERE topic = ?1 AND NOT EXISTS (
                SELECT 1 FROM jobs j WHERE j.id = limit_slots.job_id AND j.lease_token = limit_slots.lease_token)
            """)
        let seed = try RawStatement(
            db,
            """
            INSERT OR REPLACE INTO limit_slots(topic, queue_id, job_id, lease_token)
            SELECT topic, queue_id, id, lease_token FROM jobs WHERE topic = ?1 AND lease_token IS NOT NULL AND lease_expires_at > ?2
            """)
        for topic in topics {
            sweep.reset()
            sweep.bind(1, topic)
            try sweep.run()
            guard newlyCounted.contains(topic) else { continue }
            seed.reset()
            seed.bind(1, topic)
            seed.bind(2, now)
            try seed.run()
        }
    }

    /// Records the leases of `jobs`, of topics whose running jobs are counted.
    static func recordSlots(_ db: Database, _ jobs: [LeasedJob]) throws {
        if jobs.isEmpty { return }
        let statement = try RawStatement(
            db, "INSERT OR REPLACE INTO limit_slots(topic, queue_id, job_id, lease_token) VALUES (?1, ?2, ?3, ?4)")
        for job in jobs {
            statement.reset()
            statement.bind(1, job.topic)
            statement.bind(2, job.queueID)
            statement.bind(3, job.id.rawValue)
            statement.bind(4, job.lease.rawValue)
            try statement.run()
        }
    }

    /// Saves the rate windows a take changed.
    static func saveRateWindows(_ db: Database, _ windows: [String: [Timestamp]]) throws {
        if windows.isEmpty { return }
        let statement = try RawStatement(
            db, "INSERT INTO rate_windows(topic, starts) VALUES (?1, ?2) ON CONFLICT(topic) DO UPDATE SET starts = excluded.starts")
        for (topic, starts) in windows {
            statement.reset()
            statement.bind(1, topic)
            statement.bind(2, blob: RateWindowCoding.encode(starts))
            try statement.run()
        }
    }

    /// Every topic's recorded starts (for status).
    static func rateWindows(_ db: Database) throws -> [String: [Timestamp]] {
        var windows: [String: [Timestamp]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT topic, starts FROM rate_windows") {
            windows[row[0]] = RateWindowCoding.decode((row[1] as Data?).map(Array.init) ?? [])
        }
        return windows
    }
}

/// A rate window's starts as a blob: each a little-endian 64-bit millisecond time.
enum RateWindowCoding {
    static func encode(_ starts: [Timestamp]) -> [UInt8] {
        starts.flatMap { start in withUnsafeBytes(of: start.rawValue.littleEndian, Array.init) }
    }

    static func decode(_ bytes: [UInt8]) -> [Timestamp] {
        stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { offset in
            Timestamp(rawValue: bytes[offset..<offset + 8].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) })
        }
    }
}
