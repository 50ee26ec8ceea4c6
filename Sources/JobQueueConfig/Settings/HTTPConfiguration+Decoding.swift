extension HTTPConfiguration {
    enum ConfigKey: String, CaseIterable {
        case listen, token
        case tokenEnv = "token_env"
        case tenantMetrics = "tenant_metrics"
        case showPayloads = "show_payloads"
    }

    /// The shortest token accepted: a guessable token is no protection.
    static let minimumTokenLength = 16

    /// Reads `http:`. A listener beyond loopback without a token is refused here, at its
    /// `listen:` line, so that `check` and `run` both refuse it before anything listens.
    init(reading section: ConfigSection, environment: [String: String]) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        if let listen = section[Key.listen] {
            (host, port) = try Self.address(listen)
        }
        tenantMetrics = try section[Key.tenantMetrics]?.integer(.between(0, 1000)) ?? tenantMetrics
        showPayloads = try section[Key.showPayloads]?.bool() ?? showPayloads
        if section[Key.token] != nil, let tokenEnv = section[Key.tokenEnv] {
            throw tokenEnv.error("\(tokenEnv.field): set either http.token or http.token_env, not both")
        }
        if let value = section[Key.token] {
            token = try value.text()
        } else if let value = section[Key.tokenEnv] {
            let name = try value.text()
            guard let fromEnvironment = environment[name], !fromEnvironment.isEmpty else {
                throw value.error("\(value.field): environment variable \(name) is not set")
            }
            token = fromEnvironment
        }
        if let token, token.count < Self.minimumTokenLength, let value = section[Key.token] ?? section[Key.tokenEnv] {
            throw value.error(
                "\(value.field): the token has \(token.count) characters; use at least \(Self.minimumTokenLength) (e.g. `openssl rand -hex 24`)")
        }
        if token == nil && !isLoopback, let value = section[Key.listen] {
            throw value.error("\(value.field): \(listen) can be reached from other machines: set http.token or http.token_env")
        }
    }

    /// `host:port` or `[ipv6]:port`, port 0…65535.
    private static func address(_ value: ConfigValue) throws(ConfigError) -> (String, Int) {
        let text = try value.text()
        let expected = "\(value.field): '\(text)' is not host:port (e.g. 127.0.0.1:9187, [::1]:9187)"
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw value.error(expected) }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw value.error(expected) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { throw value.error(expected) }
        return (String(host), port)
    }
}
