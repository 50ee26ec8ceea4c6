import Testing
@testable import JobQueueConfig

/// `store:` choosing PostgreSQL: where the URL and the password come from, and the keys of one
/// backend refused under the other.
@Suite struct StoreSectionTests {
    func parse(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> Configuration {
        try Configuration.parse(yaml: yaml, file: "config.yaml", baseDirectory: "/srv", environment: environment)
    }

    @Test func aURLSelectsPostgreSQLWithThePasswordFromTheEnvironment() throws {
        let store = try parse("store:\n  url: postgres://app@db:6432/jobs\n  schema: queue_1\n  max_connections: 3\n  timeout: 2s\n",
                              environment: ["PGPASSWORD": "s3cret"]).store
        let postgres = try #require(store.postgres)
        #expect(postgres.host == "db" && postgres.port == 6432 && postgres.database == "jobs" && postgres.username == "app")
        #expect(postgres.password == "s3cret" && postgres.schema == "queue_1" && postgres.maxConnections == 3)
        #expect(postgres.operationTimeout == .seconds(2))
        #expect(store.location == "postgres://app:***@db:6432/jobs")
    }

    @Test func passwordEnvAndURLEnvNameTheVariables() throws {
        let environment = ["DATABASE_URL": "postgres://app@db/jobs", "JQ_PASSWORD": "from-jq", "PGPASSWORD": "from-pg"]
        let store = try parse("store:\n  url_env: DATABASE_URL\n  password_env: JQ_PASSWORD\n", environment: environment).store
        #expect(store.postgres?.host == "db")
        #expect(store.postgres?.password == "from-jq")
        // A password in the URL wins over the environment.
        let inURL = try parse("store:\n  url: postgres://app:inline@db/jobs\n", environment: environment).store
        #expect(inURL.postgres?.password == "inline")
    }

    @Test func withoutAURLTheStoreIsSQLite() throws {
        let store = try parse("store:\n  path: q.db\n", environment: ["PGPASSWORD": "x"]).store
        #expect(store.postgres == nil)
        #expect(store.location == "/srv/q.db")
    }

    @Test(arguments: [
        ("store:\n  url_env: NOPE\n", "config.yaml:2:12: store.url_env: environment variable NOPE is not set"),
        ("store:\n  url: postgres://a@b/c\n  url_env: X\n", "config.yaml:3:12: store.url_env: set either store.url or store.url_env, not both"),
        ("store:\n  url: postgres://a@b/c\n  sync: full\n", "config.yaml:3:9: store.sync applies to SQLite only: remove it, or remove store.url to use SQLite"),
        ("store:\n  schema: jobs\n", "config.yaml:2:11: store.schema applies to PostgreSQL only: set store.url (or store.url_env) too"),
        ("store:\n  url: postgres://a@b/c\n  schema: Jobs\n", "config.yaml:3:11: store.schema: schema 'Jobs' must be letters, digits and _ (not starting with a digit), at most 63 bytes"),
        ("store:\n  url: postgres://a:pw@b/c?sslmode=maybe\n", "config.yaml:2:8: store.url: sslmode 'maybe' is not one of disable, prefer, require"),
    ] as [(String, String)])
    func refusesWhatCannotBeUsed(yaml: String, expected: String) {
        #expect(parseErrorDescription(yaml) == expected)
    }
}
