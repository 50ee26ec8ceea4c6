import Foundation
import GRDB

extension SQLiteJobStore {
    public func enqueue(_ jobs: [NewJob]) async throws -> [JobID] {
        for job in jobs where !Self.plainlyValid(job) {
            if let problem = job.validationError() { throw StoreError.invalidJob(problem) }
        }
        let now = Timestamp.now.rawValue
        let ids = try await writer.write { db in try Self.insert(db, jobs, now: now) }
        localChanges.signal()
        return ids
    }

    /// True for the common job `validationError()` would pass without looking further: names of
    /// 1...255 printable ASCII bytes (none of which is a control character) and no negative retry
    /// limit. Anything else gets the full check, and its exact message.
    static func plainlyValid(_ job: NewJob) -> Bool {
        func plain(_ name: String) -> Bool {
            var name = name
            return name.withUTF8 { bytes in
                bytes.count >= 1 && bytes.count <= NewJob.maxNameBytes && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            }
        }
        return plain(job.queueID) && plain(job.topic) && (job.maxRetries ?? 0) >= 0
    }

    /// Inserts jobs and lowers their queues' pointers, inside the caller's transaction.
    static func insert(_ db: Database, _ jobs: [NewJob], now: Int64) throws -> [JobID] {
        let statement = try RawStatement(db, """
            INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, max_retries, created_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """)
        var ids: [JobID] = []
        ids.reserveCapacity(jobs.count)
        // The earliest visible time per queue; runs of jobs for one queue skip the dictionary.
        var earliest: [QueueKey: Int64] = [:]
        var current: (queueID: String, topic: String, visibleAt: Int64)?
        for job in jobs {
            let visibleAt = job.visibleAt?.rawValue ?? now
            statement.reset()
            statement.bind(1, job.queueID)
            statement.bind(2, job.topic)
            statement.bind(3, blob: job.payload)
            statement.bind(4, job.priority ?? TopicPolicy.default.priority)
            statement.bind(5, visibleAt)
            statement.bind(6, job.maxRetries ?? TopicPolicy.default.maxRetries)
            statement.bind(7, now)
            try statement.run()
            ids.append(JobID(rawValue: db.lastInsertedRowID))
            if let run = current, run.queueID == job.queueID, run.topic == job.topic {
                current!.visibleAt = min(run.visibleAt, visibleAt)
            } else {
                if let run = current {
                    let key = QueueKey(queueID: run.queueID, topic: run.topic)
                    earliest[key] = min(earliest[key] ?? .max, run.visibleAt)
                }
                current = (job.queueID, job.topic, visibleAt)
            }
        }
        if let run = current {
            let key = QueueKey(queueID: run.queueID, topic: run.topic)
            earliest[key] = min(earliest[key] ?? .max, run.visibleAt)
        }
        for (key, visibleAt) in earliest {
            // Work visible at once is pointed to a millisecond early: a queue served during this
            // millisecond has its pointer at this millisecond, and must not win the tie against a
            // newcomer (it would, again and again, while its batches take under a millisecond).
            try lowerPointer(db, key, to: visibleAt <= now ? visibleAt - 1 : visibleAt)
        }
        return ids
    }
}
