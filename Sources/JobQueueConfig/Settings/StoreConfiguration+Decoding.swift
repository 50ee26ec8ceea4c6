import JobQueue

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
        let maxPayload = try section[Key.maxPayload]?.byteCount(.between(1, 256 << 20)) ?? StoreConfiguration().maxPayload
        if section[Key.url] != nil, let urlEnv = section[Key.urlEnv] {
            throw urlEnv.error("\(urlEnv.field): set either store.url or store.url_env, not both")
        }
        guard let urlValue = section[Key.url] ?? section[Key.urlEnv] else {
            for key in [Key.schema, .maxConnections, .passwordEnv, .timeout] {
                if let value = section[key] { throw value.error("\(value.field) applies to PostgreSQL only: set store.url (or store.url_env) too") }
            }
            self.init(.sqlite(try Self.sqlite(reading: section, baseDirectory: baseDirectory)), maxPayload: maxPayload)
            return
        }
        for key in [Key.path, .sync, .busyTimeout] {
            if let value = section[key] { throw value.error("\(value.field) applies to SQLite only: remove it, or remove store.url to use SQLite") }
        }
        self.init(.postgres(try Self.postgres(reading: section, url: urlValue, environment: environment)), maxPayload: maxPayload)
    }

    /// The SQLite keys: `path`, `sync`, `busy_timeout`.
    private static func sqlite(reading section: ConfigSection, baseDirectory: String) throws(ConfigError) -> SQLiteJobStore.Settings {
        typealias Key = ConfigKey
        var settings = SQLiteJobStore.Settings(path: try section[Key.path]?.text() ?? "jobqueue.db")
        settings.path = settings.path.resolvedPath(against: baseDirectory)
        settings.sync = try section[Key.sync]?.choice(of: SyncMode.self) ?? settings.sync
        settings.busyTimeout = try section[Key.busyTimeout]?.duration(.between(.zero, .seconds(600))) ?? settings.busyTimeout
        return settings
    }

    /// The PostgreSQL keys. `urlValue` is `url:`, or `url_env:` naming the variable that holds
    /// the URL. A setting the URL parser refuses is reported at the line of the key it names.
    private static func postgres(
        reading section: ConfigSection, url urlValue: ConfigValue, environment: [String: String]
    ) throws(ConfigError) -> PostgresStoreSettings {
        typealias Key = ConfigKey
        var url = try urlValue.text()
        if section[Key.urlEnv] != nil {
            guard let value = environment[url], !value.isEmpty else {
                throw urlValue.error("\(urlValue.field): environment variable \(url) is not set")
            }
            url = value
        }
        let password = environment[try section[Key.passwordEnv]?.text() ?? "PGPASSWORD"]
        let schema = try section[Key.schema]?.text() ?? "jobqueue"
        let maxConnections = try section[Key.maxConnections]?.integer(.between(1, 1000)) ?? 10
        var settings: PostgresStoreSettings
        do throws(PostgresSettingsError) {
            settings = try PostgresStoreSettings(url: url, password: password, schema: schema, maxConnections: maxConnections)
        } catch {
            let value = Key(rawValue: error.key.rawValue).flatMap { section[$0] } ?? urlValue
            throw value.error("\(value.field): \(error)")
        }
        if let timeout = try section[Key.timeout]?.duration(.between(.milliseconds(100), .seconds(3600))) {
            settings.operationTimeout = timeout
        }
        return settings
    }
}
