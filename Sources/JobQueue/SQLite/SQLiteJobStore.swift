import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, shared safely by every process on the machine
/// that opens it (a host, a second host, the CLI).
///
/// All writes of this process go through a group-commit writer; reads run concurrently on a pool
/// of reader connections and never block writes.
public final class SQLiteJobStore: JobStore {
    /// Where the file is and how it is written.
    public struct Settings: Sendable, Equatable {
        /// The store's file, created when missing.
        public var path: String
        /// How hard each commit waits for the disk.
        public var sync: SyncMode
        /// How long a write waits for another process's transaction before failing.
        public var busyTimeout: Duration

        public init(path: String, sync: SyncMode = .full, busyTimeout: Duration = .seconds(5)) {
            self.path = path
            self.sync = sync
            self.busyTimeout = busyTimeout
        }
    }

    /// The settings the store was opened with.
    public let settings: Settings
    let pool: DatabasePool
    let writer: GroupCommitWriter
    /// Signals this process's change streams after writes that add visible work.
    let localChanges = ChangeBroadcast()
    /// Device and inode of the file opened, to notice it being deleted or replaced.
    private let fileIdentity: FileIdentity?

    /// Opens (creating when missing, mode 0600) and upgrades the store at `settings.path`.
    public init(_ settings: Settings) throws {
        self.settings = settings
        let path = settings.path
        try Self.createIfMissing(path)

        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(settings.busyTimeout.milliseconds) / 1000)
        configuration.label = "jobqueue"
        do {
            // Inspected read-only first: a foreign, newer or damaged file is refused before anything
            // (GRDB's pool set-up included) writes to it.
            let needsSetUp = try Self.inspect(path, configuration)
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous=NORMAL on the writer when it sets up WAL; the setting is ours.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(settings.sync == .full ? "FULL" : "NORMAL"); PRAGMA journal_size_limit = 67108864")
            }
            if needsSetUp {
                try Self.claim(pool, path: path)
                try SQLiteSchema.migrator.migrate(pool)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw StoreError.notAJobQueueStore(
                store: .path(path), reason: "\(error.message ?? "\(error.resultCode)") (the file is damaged; restore it from a backup)")
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(store: .path(path), reason: error.message ?? "\(error.resultCode)")
        }
        writer = GroupCommitWriter(pool: pool, sync: settings.sync)
        fileIdentity = FileIdentity(path: path)
    }

    /// Fails once the file at the store's path is not the one this store opened: writes would
    /// go to a deleted file that no other process sees.
    public func checkHealth() async throws {
        guard let fileIdentity, FileIdentity(path: settings.path) == fileIdentity else {
            throw StoreError.fileReplaced(store: .path(settings.path))
        }
    }

    /// Creates an empty file readable by its owner only: SQLite keeps the mode for -wal and -shm.
    private static func createIfMissing(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            Glibc.close(fd)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(store: .path(path), reason: String(cString: strerror(errno)))
        } else if access(path, R_OK | W_OK) != 0 {
            throw StoreError.cannotOpen(store: .path(path), reason: String(cString: strerror(errno)))
        }
    }

    /// Reads what the file is without writing to it. Returns whether it needs setting up (a new
    /// file) or upgrading; throws for another application's database, a newer JobQueue's store, or
    /// a damaged file about to be upgraded.
    private static func inspect(_ path: String, _ configuration: Configuration) throws -> Bool {
        var readOnly = configuration
        readOnly.readonly = true
        return try DatabaseQueue(path: path, configuration: readOnly).read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            if tableCount == 0 && applicationID == 0 { return true }
            if applicationID != SQLiteSchema.applicationID && tableCount > 0 {
                throw StoreError.notAJobQueueStore(store: .path(path), reason: "it holds another application's tables")
            }
            if tableCount == 0 { return true }  // claimed, then killed before the schema was created
            let migrator = SQLiteSchema.migrator
            if try migrator.hasBeenSuperseded(db) {
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                throw StoreError.newerSchema(
                    store: .path(path), found: applied.filter { !SQLiteSchema.identifiers.contains($0) }.joined(separator: ", "))
            }
            if try migrator.hasCompletedMigrations(db) { return false }
            // About to upgrade an existing store (rare): make sure it is sound before writing to it.
            let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
            if problems != ["ok"] {
                throw StoreError.notAJobQueueStore(
                    store: .path(path), reason: "\(problems.first ?? "damaged") (the file is damaged; restore it from a backup)")
            }
            return true
        }
    }

    /// Marks an empty file as a JobQueue store before the schema is written, so that a process
    /// killed half-way through creating it leaves a file the next one recognises.
    private static func claim(_ pool: DatabasePool, path: String) throws {
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                if applicationID == 0 && tableCount == 0 {
                    try db.execute(sql: "PRAGMA application_id = \(SQLiteSchema.applicationID)")
                } else if applicationID != SQLiteSchema.applicationID {
                    throw StoreError.notAJobQueueStore(store: .path(path), reason: "it holds another application's tables")
                }
                return .commit
            }
        }
    }
}

/// Which file a path names right now.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
