import Testing

@testable import JobQueueConfig

/// `http:`: off unless present; where it listens; the token, and the rule that a listener other
/// machines can reach must have one.
@Suite struct HTTPSectionTests {
    @Test func absentMeansNoListenerAndEmptyMeansLoopbackOn9187() throws {
        #expect(try parseConfig("log: { level: info }\n").http == nil)
        #expect(try parseConfig("http:\n").http == HTTPConfiguration(host: "127.0.0.1", port: 9187))
    }

    @Test func listenTakesHostAndPortWithIPv6InBrackets() throws {
        #expect(try parseConfig("http: { listen: 'localhost:0' }\n").http == HTTPConfiguration(host: "localhost", port: 0))
        let v6 = try #require(try parseConfig("http: { listen: '[::1]:9000' }\n").http)
        #expect(v6.host == "::1" && v6.port == 9000 && v6.isLoopback && v6.listen == "[::1]:9000")
        let token = String(repeating: "t", count: 20)
        let wide = try #require(try parseConfig("http: { listen: '0.0.0.0:9187', token: \(token) }\n").http)
        #expect(!wide.isLoopback && wide.token == token)
    }

    @Test func tenantMetricsBoundsTheTenantLagSeries() throws {
        #expect(try parseConfig("http:\n").http?.tenantMetrics == 10)
        #expect(try parseConfig("http: { tenant_metrics: 0 }\n").http?.tenantMetrics == 0)
        #expect(
            parseErrorDescription("http:\n  tenant_metrics: 5000\n")
                == "config.yaml:2:19: http.tenant_metrics must be between 0 and 1000, got 5000")
    }

    @Test func aListenerOthersCanReachNeedsAToken() {
        #expect(
            parseErrorDescription("http:\n  listen: 0.0.0.0:9187\n")
                == "config.yaml:2:11: http.listen: 0.0.0.0:9187 can be reached from other machines: set http.token or http.token_env")
        #expect(parseErrorDescription("http: { listen: '10.0.0.5:80' }\n")?.contains("set http.token") == true)
        #expect(parseErrorDescription("http: { listen: '[::]:80' }\n")?.contains("set http.token") == true)
    }

    @Test func theTokenComesFromTheFileOrTheEnvironmentAndIsNotShort() throws {
        let token = "0123456789abcdef0123"
        #expect(try parseConfig("http: { token_env: JQ_TOKEN }\n", environment: ["JQ_TOKEN": token]).http?.token == token)
        #expect(
            parseErrorDescription("http:\n  token_env: JQ_TOKEN\n", environment: [:])
                == "config.yaml:2:14: http.token_env: environment variable JQ_TOKEN is not set")
        #expect(
            parseErrorDescription("http:\n  token: short\n")?.hasPrefix("config.yaml:2:10: http.token: the token has 5 characters; use at least 16")
                == true)
        #expect(
            parseErrorDescription("http:\n  token: \(token)\n  token_env: JQ_TOKEN\n", environment: ["JQ_TOKEN": token])
                == "config.yaml:3:14: http.token_env: set either http.token or http.token_env, not both")
    }

    @Test(arguments: ["9187", "127.0.0.1", "127.0.0.1:", ":9187", "127.0.0.1:70000", "::1:9187", "[::1]9187", "host:port"])
    func aMalformedAddressIsRefused(listen: String) {
        #expect(parseErrorDescription("http: { listen: '\(listen)' }\n")?.contains("is not host:port (e.g. 127.0.0.1:9187, [::1]:9187)") == true)
    }
}
