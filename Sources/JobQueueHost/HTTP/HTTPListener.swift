import Hummingbird
import JobQueueConfig
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host's HTTP listener, as `http:` configures it: the dashboard at `/` and its JSON API
/// under `/api` (see ``DashboardAPI``), and `GET /metrics` (the Prometheus text format). Behind
/// the token when one is set (`AccessMiddleware`); writes refused from other sites
/// (`SameOriginMiddleware`). A swift-service-lifecycle `Service`: run it in the host's group,
/// which stops it when the host stops.
public struct HTTPListener: Service {
    public let configuration: HTTPConfiguration
    let host: HostService
    let metrics: HostMetrics
    let logger: Logger

    /// A listener serving `host`'s `metrics`.
    public init(_ configuration: HTTPConfiguration, host: HostService, metrics: HostMetrics, logger: Logger) {
        self.configuration = configuration
        self.host = host
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let access = AccessMiddleware<BasicRequestContext>(token: configuration.token)
        router.add(middleware: SameOriginMiddleware())
        router.add(middleware: access)
        LoginPage.addRoutes(to: router, access: access)
        let snapshot = StatusSnapshot()
        // The first count of a large store takes a while: taken as soon as the store is open, not
        // when the first page asks.
        let warmUp = Task { [host] in
            while !Task.isCancelled {
                if let store = host.store {
                    _ = try? await snapshot.counts(from: store)
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { warmUp.cancel() }
        DashboardAPI(host: host, metrics: metrics, snapshot: snapshot, showPayloads: configuration.showPayloads).addRoutes(to: router)
        JobsAPI(host: host).addRoutes(to: router)
        router.get("metrics") { [host, metrics] _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: await metrics.exposition(of: host, counts: snapshot))))
        }
        let started = Started()
        var serverLogger = logger
        serverLogger.logLevel = .warning  // Hummingbird's own start and stop lines
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [configuration, logger] channel in
                started.flag.store(true, ordering: .releasing)
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("http: listening on \(HTTPConfiguration(host: configuration.host, port: port).listen) (dashboard at /, GET /metrics)")
            },
            logger: serverLogger)
        do {
            try await application.run()
        } catch  where !started.flag.load(ordering: .acquiring) {
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw HTTPListenError(listen: configuration.listen, reason: reason)
        }
    }

    /// Whether the server got as far as listening.
    private final class Started: Sendable {
        let flag = Atomic<Bool>(false)
    }
}
