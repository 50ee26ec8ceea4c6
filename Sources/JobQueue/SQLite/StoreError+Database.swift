import GRDB

extension StoreError {
    /// The operator-facing form of an SQLite error (disk full, read-only file system, corruption):
    /// the database's message without the SQL statement it happened in, naming the file at `path`.
    /// Nil for other errors (a PostgreSQL store's errors are already `StoreError`s).
    public init?(sqlite error: any Error, path: String) {
        guard let error = error as? DatabaseError else { return nil }
        let reason = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self = .notAJobQueueStore(store: .path(path), reason: "\(reason) (the file is damaged; restore it from a backup)")
        default:
            self = .cannotWrite(store: .path(path), reason: reason)
        }
    }
}
