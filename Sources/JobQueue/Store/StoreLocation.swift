/// Where a store's jobs are, as messages name it: the SQLite file's `path`, or the PostgreSQL
/// server's `url` (without its password). The labels are the `store:` keys that set them, so an
/// operator sees at once which setting to check.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite database file.
    case path(String)
    /// A PostgreSQL URL, password masked (`PostgresStoreSettings.description`).
    case url(String)

    /// `path: /srv/jobqueue.db` or `url: postgres://app@db:5432/jobs`.
    public var description: String {
        switch self {
        case let .path(path): "path: \(path)"
        case let .url(url): "url: \(url)"
        }
    }
}
