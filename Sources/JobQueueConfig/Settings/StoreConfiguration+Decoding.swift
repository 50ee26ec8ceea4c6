import Foundation
import JobQueue
import JobQueuePostgres

extension StoreConfiguration {
    enum ConfigKey: String, CaseIterable {
        case path, sync
        case busyTimeout = "busy_timeout"
        case maxPayload = "max_payload"
        case url
        case urlEnv = "url_env"
        case passwordEnv = "password_env"
        case schema
        case maxConnections = "max_connections"
        case timeout
    }

    /// Reads `store:`; `path` (given or default) is resolved against `baseDirectory`. Secrets
    /// come from the environment: `url_env` names a variable holding the whole URL,
    /// `password_env` (default PGPASSWORD) one holding the password when the URL has none.
    init(reading section: ConfigSection, baseDirectory: String, environment: [String: String]) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        maxPayload = try section[Key.maxPayload]?.byteCount(.between(1, 256 << 20)) ?? maxPayload
        if section[Key.url] != nil, let urlEnv = section[Key.urlEnv] {
            throw urlEnv.error("\(urlEnv.field): set either store.url or store.url_env, not both")
        }
        guard let urlValue = section[Key.url] ?? section[Key.urlEnv] else {
            for key in [Key.schema, .maxConnections, .passwordEnv, .timeout] {
                if let value = section[key] { throw value.error("\(value.field) applies to PostgreSQL only: set store.url (or store.url_env) too") }
            }
            path = try section[Key.path]?.text() ?? path
            path = path.resolvedPath(against: baseDirectory)
            sync = try section[Key.sync]?.choice(of: SyncMode.self) ?? sync
            busyTimeout = try section[Key.busyTimeout]?.duration(.between(.zero, .seconds(600))) ?? busyTimeout
            return
        }
        for key in [Key.path, .sync, .busyTimeout] {
            if let value = section[key] { throw value.error("\(value.field) applies to SQLite only: remove it, or remove store.url to use SQLite") }
        }
        var url = try urlValue.text()
        if section[Key.urlEnv] != nil {
            guard let value = environment[url], !value.isEmpty else {
                throw urlValue.error("\(urlValue.field): environment variable \(url) is not set")
            }
            url = value
        }
        let passwordVariable = try section[Key.passwordEnv]?.text() ?? "PGPASSWORD"
        do {
            postgres = try PostgresStoreSettings(
                url: url, password: environment[passwordVariable],
                schema: try section[Key.schema]?.text() ?? "jobqueue",
                maxConnections: try section[Key.maxConnections]?.integer(.between(1, 1000)) ?? 10)
            if let timeout = try section[Key.timeout]?.duration(.between(.milliseconds(100), .seconds(3600))) {
                postgres?.operationTimeout = timeout
            }
        } catch let error as ConfigError {
            throw error
        } catch let error as PostgresSettingsError {
            let value = error.description.hasPrefix("schema") ? section[Key.schema] ?? urlValue : urlValue
            throw value.error("\(value.field): \(error.description)")
        } catch {
            throw urlValue.error("\(urlValue.field): \(error)")
        }
    }
}
