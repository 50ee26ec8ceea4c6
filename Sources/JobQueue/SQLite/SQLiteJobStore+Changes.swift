import GRDB

extension SQLiteJobStore {
    /// Watches `PRAGMA data_version` on a private connection: it changes when any other connection
    /// commits, costs microseconds to read and touches no table, so it can be polled every few
    /// milliseconds where a full scan could not.
    public func changes(checkingEvery interval: Duration) -> AsyncStream<Void> {
        let path = settings.path
        return localChanges.stream { continuation in
            var configuration = Configuration()
            configuration.readonly = true
            guard let connection = try? DatabaseQueue(path: path, configuration: configuration) else { return }
            var last: Int64?
            while !Task.isCancelled {
                let version = try? connection.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") }
                if let version, version != last {
                    if last != nil { continuation.yield() }
                    last = version
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
