import GRDBSQLite
import JobQueue

#if canImport(Glibc)
import Glibc
#endif

/// What the machine itself allows, measured on the same disk in the same run: fsyncs per second,
/// and plain SQLite inserts through the C API (WAL, the store's sync setting, a jobs-like row, no
/// secondary index), batched and one row per transaction. Our figures are printed as fractions of
/// these at the end.
enum MachineLimitsScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        let sizes = bench.sizes
        var rows: [Row] = []

        bench.progress.step("limits: fsyncs per second (4 KiB overwrite + fdatasync)")
        let fsyncs = try fsyncRate(path: bench.folder + "/fsync-probe", seconds: sizes.fsyncSeconds)
        rows.append(Row(.limits, "limits.fsync", "fdatasync after a 4 KiB write", fsyncs, "fsyncs/s"))

        for sync in SyncMode.allCases {
            bench.progress.step("limits: raw SQLite inserts, batches of 1000, sync \(sync)")
            let batched = try insertRate(bench, sync: sync, rows: sizes.rawBatchedRows, perTransaction: 1000)
            rows.append(Row(.limits, "limits.raw.batched.\(sync)", "raw SQLite inserts, 1000 rows/transaction, sync \(sync)", batched, "rows/s"))
            bench.progress.step("limits: raw SQLite inserts, one row per transaction, sync \(sync)")
            let single = try insertRate(bench, sync: sync, rows: sync == .full ? sizes.rawSingleRows : sizes.rawSingleRows * 4, perTransaction: 1)
            rows.append(Row(.limits, "limits.raw.single.\(sync)", "raw SQLite inserts, 1 row/transaction, sync \(sync)", single, "rows/s"))
        }
        // What isolation alone allows: batches through the fork server with no store involved.
        let plugins = try await bench.plugins()
        for (batchSize, concurrency) in [(1, 1), (1, 4), (10, 4), (100, 4)] {
            bench.progress.step("limits: fork server alone, batches of \(batchSize), \(concurrency) at a time")
            let jobs = batchSize == 1 ? sizes.drainJobsBatch1 : sizes.drainJobs
            let rate = await forkServerRate(plugins, jobs: jobs, batchSize: batchSize, concurrency: concurrency)
            rows.append(
                Row(
                    .limits, "limits.fork.b\(batchSize).c\(concurrency)",
                    "fork server alone (no store): batch \(batchSize) × concurrency \(concurrency)", rate, "jobs/s"))
        }
        return rows
    }

    /// No-op jobs through the plugin executor straight, `concurrency` batches at a time: the
    /// ceiling isolation puts on the end-to-end figures.
    static func forkServerRate(_ executor: any JobExecutor, jobs: Int, batchSize: Int, concurrency: Int) async -> Double {
        let batches = (jobs + batchSize - 1) / batchSize
        let lease = LeaseToken(rawValue: "bench")
        let batch = (0..<batchSize).map { index in
            LeasedJob(
                id: JobID(rawValue: Int64(index + 1)), queueID: "tenant-0", topic: "noop", payload: Array(#"{"n":0}"#.utf8),
                priority: 100, attempt: 1, maxRetries: 3, lease: lease)
        }
        return await rate(batches * batchSize) {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        for _ in stride(from: worker, to: batches, by: concurrency) {
                            await executor.run(batch) { _, _ in }
                        }
                    }
                }
            }
        }
    }

    struct SQLiteFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Overwrites the first 4 KiB of a file and fdatasyncs it, again and again, for `seconds`.
    static func fsyncRate(path: String, seconds: Double) throws -> Double {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SQLiteFailure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer {
            close(fd)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x5A, count: 4096)
        _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, 0) }
        fsync(fd)
        var count = 0
        let start = Monotonic.nanos()
        let end = start + UInt64(seconds * 1e9)
        while Monotonic.nanos() < end {
            _ = block.withUnsafeBytes { pwrite(fd, $0.baseAddress, 4096, 0) }
            fdatasync(fd)
            count += 1
        }
        return Double(count) / Monotonic.seconds(since: start)
    }

    /// Inserts `rows` rows shaped like jobs into a fresh WAL database, `perTransaction` per commit.
    static func insertRate(_ bench: Bench, sync: SyncMode, rows: Int, perTransaction: Int) throws -> Double {
        let path = bench.newStorePath("raw-\(sync)")
        defer { bench.removeStore(path) }
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db = connection else {
            throw SQLiteFailure(description: "cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw SQLiteFailure(description: "\(sql): \(String(cString: sqlite3_errmsg(db)))")
            }
        }
        try exec("PRAGMA journal_mode = WAL")
        try exec("PRAGMA synchronous = \(sync == .full ? "FULL" : "NORMAL")")
        try exec(
            """
            CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue_id TEXT NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL,
                priority INTEGER NOT NULL, visible_at INTEGER NOT NULL, created_at INTEGER NOT NULL)
            """)
        var prepared: OpaquePointer?
        guard
            sqlite3_prepare_v2(
                db, "INSERT INTO jobs(queue_id, topic, payload, priority, visible_at, created_at) VALUES (?, ?, ?, ?, ?, ?)", -1, &prepared, nil)
                == SQLITE_OK,
            let insert = prepared
        else {
            throw SQLiteFailure(description: "prepare: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(insert) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let now = Timestamp.now.rawValue
        let start = Monotonic.nanos()
        var done = 0
        while done < rows {
            try exec("BEGIN")
            let end = min(done + perTransaction, rows)
            for index in done..<end {
                let payload = Array(#"{"n":\#(index)}"#.utf8)
                sqlite3_bind_text(insert, 1, "tenant-0", -1, transient)
                sqlite3_bind_text(insert, 2, "noop", -1, transient)
                _ = payload.withUnsafeBytes { sqlite3_bind_blob(insert, 3, $0.baseAddress, Int32($0.count), transient) }
                sqlite3_bind_int64(insert, 4, 100)
                sqlite3_bind_int64(insert, 5, now)
                sqlite3_bind_int64(insert, 6, now)
                guard sqlite3_step(insert) == SQLITE_DONE else {
                    throw SQLiteFailure(description: "insert: \(String(cString: sqlite3_errmsg(db)))")
                }
                sqlite3_reset(insert)
            }
            try exec("COMMIT")
            done = end
            bench.progress.detail("\(format(Double(done), decimals: 0)) rows")
        }
        return Double(rows) / Monotonic.seconds(since: start)
    }
}
