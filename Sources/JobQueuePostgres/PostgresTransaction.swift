import Logging
import PostgresNIO

/// A connection inside a transaction (the store's own, or the caller's), with the few query
/// shapes the store uses. Rows are read completely before a call returns.
///
/// Prepared statements (`rows(_:)` with a `PostgresPreparedStatement`) only run on the store's
/// pooled connections: their SQL names tables without a schema, which the pool's `search_path`
/// supplies. On a caller's connection, only schema-qualified `PostgresQuery`s.
public struct PostgresTransaction: Sendable {
    /// The connection, with a transaction begun on it.
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

    /// Every row of a prepared statement, decoded. postgres-nio prepares it on this connection the
    /// first time (one more round trip) and only binds and executes it afterwards, so the server
    /// neither parses it again nor, once it settles on a generic plan, plans it again.
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        // Generic, so this is the row-returning `execute` even when `Row` is `()`: the other one
        // reads a command tag and must not meet rows.
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) {
            rows.append(row)
        }
        return rows
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
