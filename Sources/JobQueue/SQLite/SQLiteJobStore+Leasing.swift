import Foundation
import GRDB
import Synchronization

extension SQLiteJobStore {
    public func readyQueues(topics: Set<String>, now: Timestamp, limit: Int) async throws -> [QueueKey] {
        guard !topics.isEmpty, limit > 0 else { return [] }
        return try await pool.read { db in
            // One index range scan per topic (cost: the ready queues returned), merged by vesting time.
            let statement = try db.cachedStatement(sql: """
                SELECT queue_id, vesting_at FROM queue_pointers
                WHERE topic = ? AND vesting_at <= ? ORDER BY vesting_at LIMIT ?
                """)
            var found: [(vesting: Int64, key: QueueKey)] = []
            for topic in topics {
                let rows = try Row.fetchCursor(statement, arguments: [topic, now.rawValue, limit])
                while let row = try rows.next() {
                    found.append((row[1], QueueKey(queueID: row[0], topic: topic)))
                }
            }
            found.sort { $0.vesting < $1.vesting }
            return found.prefix(limit).map(\.key)
        }
    }

    public func nextVisibleTime(topics: Set<String>) async throws -> Timestamp? {
        guard !topics.isEmpty else { return nil }
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT min(vesting_at) FROM queue_pointers WHERE topic = ?")
            var earliest: Int64?
            for topic in topics {
                if let vesting = try Int64.fetchOne(statement, arguments: [topic]) {
                    earliest = min(earliest ?? .max, vesting)
                }
            }
            return earliest.map(Timestamp.init(rawValue:))
        }
    }

    public func lease(queue: QueueKey, limit: Int, duration: Duration, owner: String, now: Timestamp) async throws -> [LeasedJob] {
        let token = LeaseToken(rawValue: "\(owner)#\(Self.leaseCounter.add(1, ordering: .relaxed).newValue)")
        let now = now.rawValue
        let expiry = now + duration.milliseconds
        return try await writer.write { db in
            let candidates = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, payload, priority, attempt, max_retries, lease_token FROM jobs INDEXED BY jobs_order
                WHERE queue_id = ? AND topic = ? AND visible_at <= ?
                ORDER BY priority, visible_at, id LIMIT ?
                """), arguments: [queue.queueID, queue.topic, now, limit])
            let take = try db.cachedStatement(sql: """
                UPDATE jobs SET attempt = attempt + 1, visible_at = ?, lease_token = ?, lease_expires_at = ?
                WHERE id = ?
                """)
            var leased: [LeasedJob] = []
            leased.reserveCapacity(candidates.count)
            for row in candidates {
                let id = JobID(rawValue: row[0])
                let attempt: Int = row[3]
                let maxRetries: Int = row[4]
                let abandoned = (row[5] as String?) != nil
                if abandoned && attempt > maxRetries {
                    // Its runner vanished during the last run allowed: dead-letter rather than run again.
                    try Self.bury(db, id, kind: .failed, reason: "lease expired during attempt \(attempt) (runner vanished)", now: now)
                    continue
                }
                try take.execute(arguments: [expiry, token.rawValue, expiry, id.rawValue])
                leased.append(LeasedJob(
                    id: id, queueID: queue.queueID, topic: queue.topic, payload: [UInt8](row[1] as Data),
                    priority: row[2], attempt: attempt + 1, maxRetries: maxRetries, lease: token))
            }
            try Self.refreshPointer(db, queue, servedAt: now, now: now)
            return leased
        }
    }

    @discardableResult
    public func extend(_ leases: [JobID: LeaseToken], until: Timestamp) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        return try await writer.write { db in
            let statement = try db.cachedStatement(sql: """
                UPDATE jobs SET visible_at = ?, lease_expires_at = ? WHERE id = ? AND lease_token = ?
                """)
            var held = 0
            for (id, token) in leases {
                try statement.execute(arguments: [until.rawValue, until.rawValue, id.rawValue, token.rawValue])
                held += db.changesCount
            }
            return held
        }
    }

    /// Makes lease tokens unique within the process; the owner part makes them unique across processes.
    private static let leaseCounter = Atomic<Int>(0)
}
