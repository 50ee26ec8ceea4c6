import Foundation
import GRDB

/// What a backup holds.
public struct BackupSummary: Sendable, Equatable {
    /// Jobs waiting, scheduled or leased when the copy was taken.
    public var jobs: Int
    /// Dead letters.
    public var deadLetters: Int
    /// The size of the copy's file.
    public var bytes: Int
}

extension SQLiteJobStore {
    /// Copies the store at `settings.path` to a new file at `destination`: a consistent snapshot
    /// taken in one read transaction (SQLite's `VACUUM INTO`), so that hosts and the CLI go on
    /// working while it is made.
    ///
    /// The copy is readable by its owner only and holds no host records (no host serves it yet).
    /// It appears at `destination` only once it is complete, checked and on disk; an existing file
    /// there is never overwritten. Jobs leased at the time of the copy are leased in it too: a
    /// host serving a restored copy runs them again once their leases expire, as after a crash.
    public static func backup(_ settings: Settings, to destination: String) throws -> BackupSummary {
        func failure(_ reason: String) -> StoreError { .backupFailed(destination: destination, reason: reason) }
        if try readiness(of: settings) == .absent { throw StoreError.absent(store: .path(settings.path)) }
        if access(destination, F_OK) == 0 { throw failure(occupied) }
        let folder = (destination as NSString).deletingLastPathComponent
        let partial = (folder.isEmpty ? "" : folder + "/") + ".\((destination as NSString).lastPathComponent).partial-\(getpid())"
        // VACUUM INTO accepts an empty file: made first, so the copy is never readable by others.
        let fd = open(partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        Glibc.close(fd)
        defer { unlink(partial) }

        var configuration = configuration(settings)
        configuration.readonly = true
        let counts: (jobs: Int, deadLetters: Int)
        do {
            try DatabaseQueue(path: settings.path, configuration: configuration).inDatabase { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [partial])
            }
            counts = try DatabaseQueue(path: partial).inDatabase { db in
                try db.execute(sql: "DELETE FROM hosts")
                let problems = try String.fetchAll(db, sql: "PRAGMA quick_check(1)")
                if problems != ["ok"] { throw failure("the copy does not check out: \(problems.first ?? "damaged")") }
                return (
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM dead_letters") ?? 0
                )
            }
        } catch let error as DatabaseError {
            throw failure(error.message ?? "\(error.resultCode)")
        }
        try durablyPublish(partial, as: destination, in: folder, failure: failure)
        var info = stat()
        stat(destination, &info)
        return BackupSummary(jobs: counts.jobs, deadLetters: counts.deadLetters, bytes: Int(info.st_size))
    }

    private static let occupied = "a file is there already (a backup never overwrites one)"

    /// Flushes `partial` and its folder to disk and links it in at `destination`, failing rather
    /// than replacing a file that appeared there meanwhile.
    private static func durablyPublish(_ partial: String, as destination: String, in folder: String, failure: (String) -> StoreError) throws {
        let fd = open(partial, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else { throw failure(String(cString: strerror(errno))) }
        Glibc.close(fd)
        guard link(partial, destination) == 0 else {
            throw failure(errno == EEXIST ? occupied : String(cString: strerror(errno)))
        }
        let folderFD = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            Glibc.close(folderFD)
        }
    }
}
