import JobQueue
import PostgresNIO

extension PostgresJobStore {
    /// A `StoreError` for what went wrong talking to the server; store errors pass through.
    static func storeError(_ error: any Error, store: StoreLocation) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        return StoreError.cannotWrite(store: store, reason: reason(error))
    }

    /// One line saying what the server or the connection reported, without credentials.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let underlying = error.underlying as? PSQLError { return reason(underlying) }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
