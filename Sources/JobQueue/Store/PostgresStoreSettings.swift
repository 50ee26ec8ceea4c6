import Foundation

/// Where a PostgreSQL store lives and how to reach it: parsed from a libpq-style URL,
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`, or
/// `postgres://user@/database?host=/run/postgresql` for a Unix socket folder.
///
/// A plain value, so that a configuration can describe a PostgreSQL store without depending on
/// the PostgreSQL client: `PostgresJobStore` (module `JobQueuePostgres`) builds its connections
/// from it. The password never appears in `description` or in any error message.
public struct PostgresStoreSettings: Sendable, Equatable, CustomStringConvertible {
    /// The URL's `sslmode`: `disable` never uses TLS, `prefer` uses it when the server offers it
    /// (the default over TCP), `require` refuses a connection without it.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port, 5432 unless the URL says otherwise.
    public var port: Int
    /// A Unix socket folder; when set, `host` is ignored.
    public var socketFolder: String?
    /// The user name; `$USER` when the URL has none.
    public var username: String
    /// The password from the URL, or the one passed to the initializer when the URL has none.
    public var password: String?
    /// The database name; the user name when the URL has none.
    public var database: String
    /// Whether connections use TLS.
    public var tls: TLSMode
    /// The PostgreSQL schema holding the store's tables (created when missing). Several stores
    /// can share one database under different schemas.
    public var schema: String
    /// Connections this process opens at most (one more listens for changes).
    public var maxConnections: Int
    /// How long one store operation may wait for the server before it fails (with an unknown
    /// outcome): a host stalls at most this long when the server or the network hangs.
    public var operationTimeout: Duration = .seconds(15)

    /// Parses `url`. `password` (e.g. from an environment variable) is used when the URL has none.
    /// Throws a `PostgresSettingsError` whose `key` names the argument at fault.
    public init(url: String, password: String? = nil, schema: String = "jobqueue", maxConnections: Int = 10) throws(PostgresSettingsError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw .notAURL
        }
        guard ["postgres", "postgresql"].contains(scheme) else { throw .unsupportedScheme(scheme) }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let unknown = query.keys.sorted().first(where: { !["sslmode", "host"].contains($0) }) {
            throw .unknownParameter(unknown)
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .portOutOfRange(port) }
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        if let socketHost = query["host"], socketFolder == nil { host = socketHost }
        username = components.user?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.password = components.password?.removingPercentEncoding ?? password
        let path = String(components.path.drop { $0 == "/" })
        database = path.removingPercentEncoding ?? path
        if database.isEmpty { database = username }
        if let mode = query["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode) else { throw .unknownSSLMode(mode) }
            tls = parsed
        } else {
            tls = socketFolder == nil ? .prefer : .disable
        }
        guard Self.isIdentifier(schema) else { throw .invalidSchema(schema) }
        self.schema = schema
        guard maxConnections >= 1 else { throw .tooFewConnections(maxConnections) }
        self.maxConnections = maxConnections
    }

    /// The URL without its password: what logs and errors show.
    public var description: String {
        let user = password == nil ? username : "\(username):***"
        let place = socketFolder.map { "/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(user)@\(place)"
    }

    /// The store's `url`, password masked, as `StoreError`s name it.
    public var location: StoreLocation { .url(description) }

    /// A plain SQL identifier, safe to splice into statements unquoted.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let letter = { (byte: UInt8) in (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
