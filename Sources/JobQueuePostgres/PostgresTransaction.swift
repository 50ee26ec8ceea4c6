import Logging
import PostgresNIO

/// A connection inside a transaction (the store's own, or the caller's), with the few query
/// shapes the store uses. Rows are read completely before a call returns.
public struct PostgresTransaction: Sendable {
    public let connection: PostgresConnection
    let logger: Logger

    /// Wraps a connection on which the caller has already begun a transaction.
    public init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs a statement, discarding any rows.
    func run(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Every row of a query.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// The single column of every row, decoded.
    func all<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type) async throws -> [Value] {
        try await rows(query).map { try $0.decode(Value.self) }
    }

    /// The single column of the first row, decoded; nil without rows.
    func first<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type) async throws -> Value? {
        try await rows(query).first.map { try $0.decode(Value.self) }
    }
}
