import Foundation
import GRDB
import Synchronization

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
    /// The topics whose running jobs the last take counted (see `SQLiteJobStore+Limits.swift`).
    let countedTopics = Mutex<Set<String>>([])
    /// Device and inode of the file opened, to notice it being deleted or replaced.
    private let fileIdentity: FileIdentity?

    /// Opens and upgrades the store at `settings.path`. Unless `creating` is false, a missing
    /// file is created (mode 0600), and its missing folders too (mode 0700); otherwise a missing
    /// file is `StoreError.absent` and nothing is created.
    public init(_ settings: Settings, creating: Bool = true) throws {
        self.settings = settings
        let path = settings.path
        if creating {
            try Self.createIfMissing(path)
        } else if access(path, F_OK) != 0 {
            throw StoreError.absent(store: .path(path))
        }

        let configuration = Self.configuration(settings)
        do {
            // Processes opening a store at once take turns until it is set up: the second finds
            // the schema the first wrote (each migration's check and its writes are not one
            // transaction, so two processes upgrading at once would both apply it). The lock is
            // the folder's, never the file's: closing any descriptor of the file would drop the
            // POSIX locks SQLite holds on it in this process.
            let setUpLock = open(Self.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if setUpLock >= 0 { flock(setUpLock, LOCK_EX) }
            defer { if setUpLock >= 0 { _ = Glibc.close(setUpLock) } }
            // Inspected read-only first: a foreign, newer or damaged file is refused before anything
            // (GRDB's pool set-up included) writes to it.
            let needsSetUp = try Self.inspect(path, configuration) != .ready
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets synchronous=NORMAL on the writer when it sets up WAL; the setting is ours.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(settings.sync == .full ? "FULL" : "NORMAL"); PRAGMA journal_size_limit = 67108864")
            }
            if needsSetUp {
                try Self.claim(pool, path: path)
                try SQLiteSchema.migrator.migrate(pool)
            }
        } catch let error as DatabaseError {
            throw Self.openError(error, path: path)
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

    /// What the file at `settings.path` holds, read without writing anything; for a missing file,
    /// whether it could be created. Throws what opening it would throw.
    public static func readiness(of settings: Settings) throws -> StoreReadiness {
        let path = settings.path
        guard access(path, F_OK) == 0 else {
            if let problem = creationProblem(path) { throw StoreError.cannotOpen(store: .path(path), reason: problem) }
            return .absent
        }
        if access(path, R_OK | W_OK) != 0 { throw StoreError.cannotOpen(store: .path(path), reason: String(cString: strerror(errno))) }
        do {
            return try inspect(path, configuration(settings))
        } catch let error as DatabaseError {
            throw openError(error, path: path)
        }
    }

    /// An error met while opening or inspecting the file, in its operator form.
    private static func openError(_ error: DatabaseError, path: String) -> StoreError {
        let reason = error.message ?? "\(error.resultCode)"
        if [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            return .notAJobQueueStore(store: .path(path), reason: "\(reason) (the file is damaged; restore it from a backup)")
        }
        return .cannotOpen(store: .path(path), reason: reason)
    }

    static func configuration(_ settings: Settings) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(settings.busyTimeout.milliseconds) / 1000)
        configuration.label = "jobqueue"
        return configuration
    }

    /// The folder holding the file at `path` ("." for a bare name).
    private static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Why a file could not be created at `path`: its nearest existing folder is not a folder or
    /// not writable. Nil when it could.
    private static func creationProblem(_ path: String) -> String? {
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty && access(folder, F_OK) != 0 { folder = (folder as NSString).deletingLastPathComponent }
        if folder.isEmpty { folder = "." }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return "\(folder) is not a folder"
        }
        return access(folder, W_OK | X_OK) == 0 ? nil : "cannot create it in \(folder): \(String(cString: strerror(errno)))"
    }

    /// Creates an empty file readable by its owner only (SQLite keeps the mode for -wal and
    /// -shm), and its missing folders, readable by their owner only.
    private static func createIfMissing(_ path: String) throws {
        var fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == ENOENT {
            let folder = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(store: .path(path), reason: "cannot create its folder: \(creationProblem(path) ?? "\(error)")")
            }
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        if fd >= 0 {
            Glibc.close(fd)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(store: .path(path), reason: String(cString: strerror(errno)))
        } else if access(path, R_OK | W_OK) != 0 {
            throw StoreError.cannotOpen(store: .path(path), reason: String(cString: strerror(errno)))
        }
    }

    /// Reads what the file is without writing to it: empty (to be set up), ready, or to be
    /// upgraded; throws for another application's database, a newer JobQueue's store, or a
    /// damaged file about to be upgraded.
    private static func inspect(_ path: String, _ configuration: Configuration) throws -> StoreReadiness {
        var readOnly = configuration
        readOnly.readonly = true
        return try DatabaseQueue(path: path, configuration: readOnly).read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
            if tableCount == 0 && applicationID == 0 { return .absent }
            if applicationID != SQLiteSchema.applicationID && tableCount > 0 {
                throw StoreError.notAJobQueueStore(store: .path(path), reason: "it holds another application's tables")
            }
            if tableCount == 0 { return .absent }  // claimed, then killed before the schema was created
            let migrator = SQLiteSchema.migrator
            if try migrator.hasBeenSuperseded(db) {
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                throw StoreError.newerSchema(
                    store: .path(path), found: applied.filter { !SQLiteSchema.identifiers.contains($0) }.joined(separator: ", "))
            }
            if try migrator.hasCompletedMigrations(db) { return .ready }
            // About to upgrade an existing store (rare): make sure it is sound before writing to it.
            let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
            if problems != ["ok"] {
                throw StoreError.notAJobQueueStore(
                    store: .path(path), reason: "\(problems.first ?? "damaged") (the file is damaged; restore it from a backup)")
            }
            return .upgradable
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
