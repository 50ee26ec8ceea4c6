import Foundation
import PostgresNIO

/// Where a PostgreSQL store lives and how to reach it: parsed from a libpq-style URL,
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`, or
/// `postgres://user@/database?host=/run/postgresql` for a Unix socket folder.
///
/// The password never appears in `description` or in any error message.
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
    public init(url: String, password: String? = nil, schema: String = "jobqueue", maxConnections: Int = 10) throws(PostgresSettingsError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw PostgresSettingsError("not a URL: expected postgres://user@host:port/database")
        }
        guard ["postgres", "postgresql"].contains(scheme) else {
            throw PostgresSettingsError("unsupported scheme '\(scheme)': expected postgres://")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let unknown = query.keys.sorted().first(where: { !["sslmode", "host"].contains($0) }) {
            throw PostgresSettingsError("unknown URL parameter '\(unknown)' (known: sslmode, host)")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresSettingsError("port \(port) is out of range 1…65535") }
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        if let socketHost = query["host"], socketFolder == nil { host = socketHost }
        username = components.user?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.password = components.password?.removingPercentEncoding ?? password
        let path = String(components.path.drop { $0 == "/" })
        database = path.removingPercentEncoding ?? path
        if database.isEmpty { database = username }
        if let mode = query["sslmode"] {
            guard let parsed = TLSMode(rawValue: mode) else {
                throw PostgresSettingsError("sslmode '\(mode)' is not one of disable, prefer, require")
            }
            tls = parsed
        } else {
            tls = socketFolder == nil ? .prefer : .disable
        }
        guard Self.isIdentifier(schema) else {
            throw PostgresSettingsError("schema '\(schema)' must be letters, digits and _ (not starting with a digit), at most 63 bytes")
        }
        self.schema = schema
        guard maxConnections >= 1 else { throw PostgresSettingsError("max_connections must be 1 or more") }
        self.maxConnections = maxConnections
    }

    /// The URL without its password: what logs and errors show.
    public var description: String {
        let user = password == nil ? username : "\(username):***"
        let place = socketFolder.map { "/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(user)@\(place)"
    }

    /// The socket a server listening on `port` creates in `folder` (libpq's naming).
    static func socketPath(_ folder: String, _ port: Int) -> String { "\(folder)/.s.PGSQL.\(port)" }

    /// A plain SQL identifier, safe to splice into statements unquoted.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let letter = { (byte: UInt8) in (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// The pool's configuration: its connections have `search_path` = `schema` and always use
    /// generic plans for their prepared statements.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = .init(unixSocketPath: Self.socketPath(socketFolder, port), username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(5)
        // The pooled connections resolve unqualified table names in the store's schema, so the hot
        // statements can be prepared with one SQL text whatever the schema (`PostgresPreparedStatement`
        // wants a static one). System functions still come first: `pg_catalog` is always searched.
        // Generic plans: left to choose, the server plans the pointer statements afresh at every
        // call (their `unnest` of an array parameter makes a generic plan look costlier), which was
        // a third of its CPU per job; their generic plans use the same indexes (checked with
        // EXPLAIN on 20,000 queues). This holds for the pool's other statements too: admin ones,
        // whose optional filters may then scan their table.
        configuration.options.additionalStartupParameters = [("search_path", schema), ("plan_cache_mode", "force_generic_plan")]
        return configuration
    }

    /// A direct connection's configuration (migrations, LISTEN), with the server's default
    /// `search_path`: statements on it name the schema.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketFolder {
            return .init(unixSocketPath: Self.socketPath(socketFolder, port), username: username, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS = switch self.tls {
        case .disable: .disable
        case .prefer: .prefer(try .init(configuration: .makeClientConfiguration()))
        case .require: .require(try .init(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}

/// A PostgreSQL URL or setting that cannot be used, in one line.
public struct PostgresSettingsError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
