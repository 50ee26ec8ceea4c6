/// A PostgreSQL URL or setting that cannot be used. `key` says which `store:` setting is at
/// fault, so a config error can point at that line; `description` is the one-line reason
/// (never containing the password).
public enum PostgresSettingsError: Error, Equatable, CustomStringConvertible {
    /// The `store:` setting an error is about.
    public enum Key: String, Sendable {
        case url, schema
        case maxConnections = "max_connections"
    }

    /// The text does not parse as a URL with a scheme.
    case notAURL
    /// A scheme other than `postgres` or `postgresql`.
    case unsupportedScheme(String)
    /// A query parameter other than `sslmode` and `host`.
    case unknownParameter(String)
    /// A port outside 1…65535.
    case portOutOfRange(Int)
    /// An `sslmode` other than `disable`, `prefer` and `require`.
    case unknownSSLMode(String)
    /// A schema name that is not a plain SQL identifier (it is spliced into statements unquoted).
    case invalidSchema(String)
    /// Fewer than one connection.
    case tooFewConnections(Int)

    /// Which setting to fix: `schema` and `max_connections` for their own errors, `url` otherwise.
    public var key: Key {
        switch self {
        case .invalidSchema: .schema
        case .tooFewConnections: .maxConnections
        case .notAURL, .unsupportedScheme, .unknownParameter, .portOutOfRange, .unknownSSLMode: .url
        }
    }

    public var description: String {
        switch self {
        case .notAURL: "not a URL: expected postgres://user@host:port/database"
        case let .unsupportedScheme(scheme): "unsupported scheme '\(scheme)': expected postgres://"
        case let .unknownParameter(name): "unknown URL parameter '\(name)' (known: sslmode, host)"
        case let .portOutOfRange(port): "port \(port) is out of range 1…65535"
        case let .unknownSSLMode(mode): "sslmode '\(mode)' is not one of disable, prefer, require"
        case let .invalidSchema(schema):
            "schema '\(schema)' must be letters, digits and _ (not starting with a digit), at most 63 bytes"
        case .tooFewConnections: "max_connections must be 1 or more"
        }
    }
}
