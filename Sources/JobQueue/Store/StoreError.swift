/// Why a store could not be used. Each message is one line an operator can act on, naming the
/// store by its `StoreLocation` (`path: …` for a file, `url: …` for a server).
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or created, or the server could not be reached.
    case cannotOpen(store: StoreLocation, reason: String)
    /// There is no store yet (no file, or no schema), and the command only reads, so it created none.
    case absent(store: StoreLocation)
    /// The file or schema exists but is not a JobQueue store (another database, or not a database at all).
    case notAJobQueueStore(store: StoreLocation, reason: String)
    /// The store was written by a newer JobQueue whose schema this version does not know.
    case newerSchema(store: StoreLocation, found: String)
    /// A read or write failed (disk full, read-only file system, I/O error); nothing of it was stored.
    case cannotWrite(store: StoreLocation, reason: String)
    /// The file at the store's path is no longer the file that was opened (deleted or replaced).
    case fileReplaced(store: StoreLocation)
    /// The connection to a database server was lost, or the server did not answer in time, after
    /// the operation may have been committed: it may or may not have been stored.
    case outcomeUnknown(store: StoreLocation, reason: String)
    /// A job was refused before anything was stored.
    case invalidJob(String)
    /// A backup could not be made at `destination`; nothing was left there.
    case backupFailed(destination: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(store, reason): "cannot open store \(store): \(reason)"
        case let .absent(store):
            "no store at \(store) (nothing was created: a host or `jobqueue enqueue` creates it; is the store setting right?)"
        case let .notAJobQueueStore(store, reason): "\(store) is not a JobQueue store: \(reason)"
        case let .newerSchema(store, found):
            "\(store) was written by a newer JobQueue (schema \(found)); upgrade jobqueue to open it"
        case let .cannotWrite(store, reason): "store \(store): \(reason); nothing of this operation was stored"
        case let .fileReplaced(store):
            "store \(store) was deleted or replaced while open; stopping so that no work goes to a file nobody reads"
        case let .outcomeUnknown(store, reason): "store \(store): \(reason); the operation may or may not have been stored"
        case let .invalidJob(reason): reason
        case let .backupFailed(destination, reason): "cannot back up to \(destination): \(reason); nothing was written there"
        }
    }
}
