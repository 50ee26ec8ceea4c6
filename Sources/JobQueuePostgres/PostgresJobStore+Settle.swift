import JobQueue
import PostgresNIO

extension PostgresJobStore {
    @discardableResult
    public func settle(_ settlements: [Settlement]) async throws -> [Bool] {
        guard !settlements.isEmpty else { return [] }
        let now = Timestamp.now
        let plan = SettlementPlan(settlements)
        if plan.oneByOne.isEmpty && settlements.allSatisfy(\.followUps.isEmpty) {
            return try await complete(settlements, now: now)
        }
        return try await transaction { [self] transaction in
            var touched: [QueueKey: Set<LeaseToken>] = [:]
            var applied = [Bool](repeating: false, count: settlements.count)
            // All batched completions go in one DELETE, whatever their lease tokens.
            let completions = plan.completionsByLease.values.flatMap { $0 }
            if !completions.isEmpty {
                let rows = try await transaction.rows(CompleteJobs(completions.map { (settlements[$0].job, settlements[$0].lease) }))
                let deleted = Dictionary(rows, uniquingKeysWith: { first, _ in first })
                for index in completions {
                    guard let key = deleted[settlements[index].job] else { continue }
                    touched[key, default: []].insert(settlements[index].lease)
                    applied[index] = true
                }
            }
            for index in plan.oneByOne {
                guard let key = try await apply(settlements[index], now: now, in: transaction) else { continue }
                touched[key, default: []].insert(settlements[index].lease)
                applied[index] = true
            }
            // The follow-ups' unique keys, then every pointer about to change, each in one order.
            let followUps = plan.followUps(applied: applied)
            try await lockUniqueKeys(of: followUps, in: transaction)
            try await lockPointers(Array(touched.keys) + followUps.map { QueueKey(queueID: $0.queueID, topic: $0.topic) }, in: transaction)
            if !followUps.isEmpty {
                _ = try await insert(followUps, in: transaction, now: now, keysLocked: true)
            }
            try await refreshPointers(Set(touched.keys), servedAt: nil, now: now, settled: touched, in: transaction)
            // Retried and released jobs may be due before other hosts next look.
            if zip(settlements, applied).contains(where: { $1 && $0.action != .complete && $0.action != .keep }) {
                try await transaction.run("SELECT pg_notify(\(channel), '')")
            }
            return applied
        }
    }

    /// Settles a batch of completions only (no follow-ups): one call of the schema's
    /// `complete_jobs` function does what the general path does in five round trips.
    private func complete(_ settlements: [Settlement], now: Timestamp) async throws -> [Bool] {
        let completions = CompleteJobs(settlements.map { ($0.job, $0.lease) })
        let deleted = try await singleStatement { transaction in
            Set(try await transaction.rows(CompleteJobsAndRefresh(completions: completions, now: now)).map(\.job))
        }
        return settlements.map { deleted.contains($0.job) }
    }

    /// Applies one settlement if its lease is still held; returns the job's queue if it was. The
    /// run's record, when there is one, joins the job's history (as `run.record`).
    private func apply(_ settlement: Settlement, now: Timestamp, in transaction: PostgresTransaction) async throws -> QueueKey? {
        let id = settlement.job.rawValue
        let lease = settlement.lease.rawValue
        let record = settlement.record?.json
        let appended = PostgresSchema.historyAppending("run.record", history: "history")
        let query: PostgresQuery =
            switch settlement.action {
            case .complete:
                """
                DELETE FROM \(unescaped: tables).jobs WHERE id = \(id) AND lease_token = \(lease) RETURNING queue_id, topic
                """
            case .keep:
                """
                WITH gone AS (
                    DELETE FROM \(unescaped: tables).jobs WHERE id = \(id) AND lease_token = \(lease) RETURNING *
                )
                INSERT INTO \(unescaped: tables).completed_jobs
                    (id, queue_id, topic, payload, priority, max_retries, attempts, history, created_at, completed_at)
                SELECT id, queue_id, topic, payload, priority, max_retries, attempt, \(unescaped: appended), created_at, \(now.rawValue)
                FROM gone, (SELECT \(record)::jsonb AS record) run RETURNING queue_id, topic
                """
            case let .retry(at, error):
                """
                UPDATE \(unescaped: tables).jobs SET visible_at = \(at.rawValue), last_error = coalesce(\(error)::text, last_error),
                    lease_token = NULL, lease_expires_at = NULL, history = \(unescaped: appended)
                FROM (SELECT \(record)::jsonb AS record) run
                WHERE id = \(id) AND lease_token = \(lease) RETURNING queue_id, topic
                """
            case let .bury(kind, reason):
                """
                WITH gone AS (
                    DELETE FROM \(unescaped: tables).jobs WHERE id = \(id) AND lease_token = \(lease) RETURNING *
                )
                INSERT INTO \(unescaped: tables).dead_letters
                    (id, queue_id, topic, payload, priority, max_retries, attempts, kind, reason, created_at, died_at, history)
                SELECT id, queue_id, topic, payload, priority, max_retries, attempt, \(kind.rawValue), \(reason), created_at, \(now.rawValue),
                    \(unescaped: appended)
                FROM gone, (SELECT \(record)::jsonb AS record) run RETURNING queue_id, topic
                """
            case .release:
                """
                UPDATE \(unescaped: tables).jobs SET attempt = greatest(attempt - 1, 0), visible_at = \(now.rawValue),
                    lease_token = NULL, lease_expires_at = NULL
                WHERE id = \(id) AND lease_token = \(lease) RETURNING queue_id, topic
                """
            }
        return try await transaction.rows(query).first.map { row in
            let (queueID, topic) = try row.decode((String, String).self)
            return QueueKey(queueID: queueID, topic: topic)
        }
    }
}
