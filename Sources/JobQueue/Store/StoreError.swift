/// Why a store could not be used. Each message is one line an operator can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The file exists but is not a JobQueue store (another database, or not a database at all).
    case notAJobQueueStore(path: String, reason: String)
    /// The file was written by a newer JobQueue whose schema this version does not know.
    case newerSchema(path: String, found: String)
    /// A read or write failed (disk full, read-only file system, I/O error); nothing of it was stored.
    case cannotWrite(path: String, reason: String)
    /// The file at the store's path is no longer the file that was opened (deleted or replaced).
    case fileReplaced(path: String)
    /// The connection to a database server was lost, or the server did not answer in time, after
    /// the operation may have been committed: it may or may not have been stored.
    case outcomeUnknown(path: String, reason: String)
    /// A job was refused before anything was stored.
    case invalidJob(String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open store \(path): \(reason)"
        case let .notAJobQueueStore(path, reason): "\(path) is not a JobQueue store: \(reason)"
        case let .newerSchema(path, found):
            "\(path) was written by a newer JobQueue (schema \(found)); upgrade jobqueue to open it"
        case let .cannotWrite(path, reason): "store \(path): \(reason); nothing of this operation was stored"
        case let .fileReplaced(path):
            "store \(path) was deleted or replaced while open; stopping so that no work goes to a file nobody reads"
        case let .outcomeUnknown(path, reason): "store \(path): \(reason); the operation may or may not have been stored"
        case let .invalidJob(reason): reason
        }
    }
}
