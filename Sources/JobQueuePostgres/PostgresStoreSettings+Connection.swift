import JobQueue
import PostgresNIO

extension PostgresStoreSettings {
    /// The socket a server listening on `port` creates in `folder` (libpq's naming).
    static func socketPath(_ folder: String, _ port: Int) -> String { "\(folder)/.s.PGSQL.\(port)" }

    /// The pool's configuration: its connections have `search_path` = `schema` and always use
    /// generic plans for their prepared statements.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = .init(unixSocketPath: Self.socketPath(socketFolder, port), username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS =
                switch self.tls {
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
        let tls: PostgresConnection.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(try .init(configuration: .makeClientConfiguration()))
            case .require: .require(try .init(configuration: .makeClientConfiguration()))
            }
        return .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}
