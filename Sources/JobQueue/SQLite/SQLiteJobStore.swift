import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, shared safely by every process on the machine
/// that opens it (a host, a second host, the CLI).
///
/// All writes of this process go through a group-commit writer; reads run concurrently on a pool
/// of reader connections and never block writes.
public final class SQLiteJobStore: JobStore {
    public struct Settings: Sendable, Equatable {
        public var path: String
        public var sync: SyncMode
        /// How long a write waits for another process's transaction before failing.
        public var busyTimeout: Duration

        public init(path: String, sync: SyncMode = .full, busyTimeout: Duration = .seconds(5)) {
            self.path = path
            self.sync = sync
            self.busyTimeout = busyTimeout
        }
    }

    public let settings: Settings
    let pool: DatabasePool
    let writer: GroupCommitWriter
    /// Signals this process's change streams after writes that add visible work.
    let localChanges = ChangeBroadcast()

    /// Opens (creating when missing, mode 0600) and upgrades the store at `settings.path`.
    public init(_ settings: Settings) throws {
        self.settings = settings
        let path = settings.path
        try Self.createIfMissing(path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(settings.busyTimeout.milliseconds) / 1000)
        configuration.label = "jobqueue"
        let synchronous = settings.sync == .full ? "FULL" : "NORMAL"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous); PRAGMA journal_size_limit = 67108864")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.claim(pool, path: path)
            try SQLiteSchema.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw StoreError.notAJobQueueStore(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        writer = GroupCommitWriter(pool: pool)
    }

    /// Creates an empty file readable by its owner only: SQLite keeps the mode for -wal and -shm.
    private static func createIfMissing(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        } else if access(path, R_OK | W_OK) != 0 {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Marks an empty file as a JobQueue store before anything else is written to it, so that a
    /// process killed half-way through creating the schema leaves a file the next one recognises;
    /// refuses files that belong to another program, or to a newer JobQueue.
    private static func claim(_ pool: DatabasePool, path: String) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                if applicationID == 0 && tableCount == 0 {
                    try db.execute(sql: "PRAGMA application_id = \(SQLiteSchema.applicationID)")
                } else if applicationID != SQLiteSchema.applicationID {
                    throw StoreError.notAJobQueueStore(path: path, reason: "it holds another application's tables")
                } else if tableCount > 0, try SQLiteSchema.migrator.hasBeenSuperseded(db) {
                    let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                    let unknown = applied.filter { !SQLiteSchema.identifiers.contains($0) }.joined(separator: ", ")
                    throw StoreError.newerSchema(path: path, found: unknown)
                }
                return .commit
            }
        }
    }
}
