/// The `http:` section: the host's HTTP listener (the dashboard at `/`, its JSON API under `/api`,
/// and `/metrics`), off unless the section is there.
///
/// ```yaml
/// http:
///   listen: 127.0.0.1:9187     # host:port ([::1]:9187 for IPv6); port 0 picks a free one, logged
///   token_env: JOBQUEUE_TOKEN  # or token: "…"; required unless listen is a loopback address
///   tenant_metrics: 10         # the longest-waiting tenants that get a lag gauge of their own
///   show_payloads: false       # whether the dashboard shows job payloads (they may hold secrets)
/// ```
public struct HTTPConfiguration: Sendable, Equatable {
    /// The address to listen on: a host name or IP address, and a port.
    public var host: String
    /// 0 lets the system pick a free port (the host logs the one it got).
    public var port: Int
    /// The bearer token every request must carry (`Authorization: Bearer …`). Nil: none, which is
    /// allowed only on a loopback address.
    public var token: String?
    /// How many of the longest-waiting tenants (queues) `/metrics` gives a lag gauge of their own:
    /// bounded, so that 100,000 tenants do not make 100,000 series.
    public var tenantMetrics: Int
    /// Whether the dashboard shows job payloads; off by default, as payloads may hold secrets.
    public var showPayloads: Bool

    public init(host: String = "127.0.0.1", port: Int = 9187, token: String? = nil, tenantMetrics: Int = 10, showPayloads: Bool = false) {
        self.host = host
        self.port = port
        self.token = token
        self.tenantMetrics = tenantMetrics
        self.showPayloads = showPayloads
    }

    /// `host:port` as written in `listen:` (IPv6 addresses in brackets).
    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// True for addresses only this machine can reach: `localhost`, 127.0.0.0/8, `::1`.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.split(separator: ".").first == "127" && host.split(separator: ".").count == 4
    }
}
