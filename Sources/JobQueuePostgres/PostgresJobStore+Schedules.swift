import JobQueue
import PostgresNIO

/// The shared record of schedules' ticks.
extension PostgresJobStore {
    public func recordTick(schedule: String, tick: Timestamp, job: NewJob?) async throws -> Bool {
        if let job { try NewJob.validate([job]) }
        let recorded = try await transaction { [self] transaction in
            // The row lock of the schedule's record makes hosts that tick at once take turns; the
            // one that comes second finds the tick recorded and stores nothing.
            let rows = try await transaction.rows(
                """
                INSERT INTO \(unescaped: tables).schedule_ticks (name, last_tick) VALUES (\(schedule), \(tick.rawValue))
                ON CONFLICT (name) DO UPDATE SET last_tick = excluded.last_tick WHERE schedule_ticks.last_tick < excluded.last_tick
                RETURNING 1
                """)
            if rows.isEmpty { return false }
            if let job { _ = try await insert([job], in: transaction) }
            return true
        }
        if recorded && job != nil { localChanges.signal() }
        return recorded
    }

    public func scheduleTicks() async throws -> [String: Timestamp] {
        try await autocommit { [self] transaction in
            Dictionary(
                uniqueKeysWithValues: try await transaction.rows("SELECT name, last_tick FROM \(unescaped: tables).schedule_ticks").map { row in
                    let (name, tick) = try row.decode((String, Int64).self)
                    return (name, Timestamp(rawValue: tick))
                })
        }
    }
}
