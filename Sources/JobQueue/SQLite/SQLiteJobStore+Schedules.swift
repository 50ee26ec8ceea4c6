import GRDB

/// The shared record of schedules' ticks.
extension SQLiteJobStore {
    public func recordTick(schedule: String, tick: Timestamp, job: NewJob?) async throws -> Bool {
        if let job { try NewJob.validate([job]) }
        let now = Timestamp.now.rawValue
        let recorded = try await writer.write { db -> Bool in
            // One writer at a time: read, compare and write cannot interleave with another host's.
            let last = try Int64.fetchOne(db, sql: "SELECT last_tick FROM schedule_ticks WHERE name = ?", arguments: [schedule])
            if let last, last >= tick.rawValue { return false }
            try db.execute(
                sql: "INSERT INTO schedule_ticks(name, last_tick) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET last_tick = excluded.last_tick",
                arguments: [schedule, tick.rawValue])
            if let job { _ = try Self.insert(db, [job], now: now) }
            return true
        }
        if recorded && job != nil { localChanges.signal() }
        return recorded
    }

    public func scheduleTicks() async throws -> [String: Timestamp] {
        try await pool.read { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, last_tick FROM schedule_ticks").map {
                    ($0[0] as String, Timestamp(rawValue: $0[1]))
                })
        }
    }
}
