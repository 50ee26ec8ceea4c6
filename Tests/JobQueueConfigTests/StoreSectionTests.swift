import JobQueue
import Testing

@testable import JobQueueConfig

/// `store:` choosing PostgreSQL or SQLite: the plain value each yields, where the URL and the
/// password come from, and the keys of one backend refused under the other.
@Suite struct StoreSectionTests {
    func parse(_ yaml: String, environment: [String: String] = [:]) throws(ConfigError) -> Configuration {
        try Configuration.parse(yaml: yaml, file: "config.yaml", baseDirectory: "/srv", environment: environment)
    }

    func parseError(_ yaml: String, environment: [String: String] = [:]) -> String? {
        do {
            _ = try parse(yaml, environment: environment)
            Issue.record("expected an error for \(yaml.debugDescription)")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aURLSelectsPostgreSQLWithThePasswordFromTheEnvironment() throws {
        let store = try parse(
            "store:\n  url: postgres://app@db:6432/jobs\n  schema: queue_1\n  max_connections: 3\n  timeout: 2s\n  max_payload: 2KiB\n",
            environment: ["PGPASSWORD": "s3cret"]
        ).store
        var expected = try PostgresStoreSettings(url: "postgres://app:s3cret@db:6432/jobs", schema: "queue_1", maxConnections: 3)
        expected.operationTimeout = .seconds(2)
        #expect(store == StoreConfiguration(.postgres(expected), maxPayload: 2048))
        guard case let .postgres(postgres) = store.backend else { return }
        #expect(postgres.host == "db" && postgres.port == 6432 && postgres.database == "jobs" && postgres.username == "app")
        #expect(postgres.password == "s3cret")
        #expect(store.location == .url("postgres://app:***@db:6432/jobs"))
        #expect(store.location.description == "url: postgres://app:***@db:6432/jobs")
    }

    @Test func passwordEnvAndURLEnvNameTheVariables() throws {
        let environment = ["DATABASE_URL": "postgres://app@db/jobs", "JQ_PASSWORD": "from-jq", "PGPASSWORD": "from-pg"]
        let store = try parse("store:\n  url_env: DATABASE_URL\n  password_env: JQ_PASSWORD\n", environment: environment).store
        #expect(store.backend == .postgres(try PostgresStoreSettings(url: "postgres://app:from-jq@db/jobs")))
        // A password in the URL wins over the environment.
        let inURL = try parse("store:\n  url: postgres://app:inline@db/jobs\n", environment: environment).store
        #expect(inURL.backend == .postgres(try PostgresStoreSettings(url: "postgres://app:inline@db/jobs")))
    }

    @Test func withoutAURLTheStoreIsSQLite() throws {
        let store = try parse("store:\n  path: q.db\n  sync: normal\n  busy_timeout: 2s\n", environment: ["PGPASSWORD": "x"]).store
        #expect(store == StoreConfiguration(.sqlite(.init(path: "/srv/q.db", sync: .normal, busyTimeout: .seconds(2)))))
        #expect(store.location == .path("/srv/q.db"))
        #expect(store.location.description == "path: /srv/q.db")
    }

    @Test func aBadSchemaNamePointsAtTheSchemaLine() {
        #expect(
            parseError("store:\n  url: postgres://a@b/c\n  max_connections: 2\n  schema: 9lives\n")
                == "config.yaml:4:11: store.schema: schema '9lives' must be letters, digits and _ (not starting with a digit), at most 63 bytes")
        // Also when the URL comes from the environment: the schema line, not the url_env line.
        #expect(
            parseError("store:\n  url_env: DB\n  schema: a-b\n", environment: ["DB": "postgres://a@b/c"])
                == "config.yaml:3:11: store.schema: schema 'a-b' must be letters, digits and _ (not starting with a digit), at most 63 bytes")
    }

    @Test func aBadURLFromTheEnvironmentPointsAtTheURLEnvLine() {
        #expect(
            parseError("store:\n  schema: jobs\n  url_env: DB\n", environment: ["DB": "mysql://a@b/c"])
                == "config.yaml:3:12: store.url_env: unsupported scheme 'mysql': expected postgres://")
    }

    @Test(
        arguments: [
            ("store:\n  url_env: NOPE\n", "config.yaml:2:12: store.url_env: environment variable NOPE is not set"),
            ("store:\n  url: postgres://a@b/c\n  url_env: X\n", "config.yaml:3:12: store.url_env: set either store.url or store.url_env, not both"),
            (
                "store:\n  url: postgres://a@b/c\n  sync: full\n",
                "config.yaml:3:9: store.sync applies to SQLite only: remove it, or remove store.url to use SQLite"
            ),
            ("store:\n  schema: jobs\n", "config.yaml:2:11: store.schema applies to PostgreSQL only: set store.url (or store.url_env) too"),
            (
                "store:\n  url: postgres://a@b/c\n  schema: Jobs\n",
                "config.yaml:3:11: store.schema: schema 'Jobs' must be letters, digits and _ (not starting with a digit), at most 63 bytes"
            ),
            (
                "store:\n  url: postgres://a:pw@b/c?sslmode=maybe\n",
                "config.yaml:2:8: store.url: sslmode 'maybe' is not one of disable, prefer, require"
            ),
        ] as [(String, String)])
    func refusesWhatCannotBeUsed(yaml: String, expected: String) {
        #expect(parseErrorDescription(yaml) == expected)
    }
}
