import ArgumentParser
import Foundation
import JobQueue
import JobQueueConfig
import JobQueueHost
import Logging
import ServiceLifecycle
import UnixSignals

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the host: serve the configured topics with their plugins until stopped.",
        discussion: """
            Every batch runs in a forked child, so a crashing or hanging plugin never takes the host \
            down. Editing config.yaml or replacing a plugin file reloads without dropping jobs (SIGHUP \
            forces it). SIGTERM or SIGINT stops gracefully: no new work, running batches get `grace` \
            to finish. A second SIGTERM or SIGINT (Ctrl-C again) stops at once: running batches are \
            killed and their jobs go back to the queue uncharged.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Exit 0 once served topics hold no ready, scheduled or running job.") var drain = false
    @Flag(help: "Load a config or plugins that others could have changed (for development only).")
    var allowInsecureFiles = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        if let problem = configuration.hostProblem(trustingFiles: allowInsecureFiles) { throw InputError(problem) }
        LogSetup.bootstrap(configuration.log)
        let logger = Logger(label: "jobqueue")
        // The first line of every host's log says which version wrote the rest.
        logger.info("jobqueue \(JobQueueVersion.current) starting with \(global.config) (pid \(getpid()))")
        let metrics = configuration.http.map { HostMetrics(tenantGauges: $0.tenantMetrics) }
        metrics?.bootstrapMetricsSystem()
        let host = HostService(
            configPath: global.config, configuration: configuration, drain: drain, trustingFiles: allowInsecureFiles, metrics: metrics,
            logger: logger)
        // The group ends when the host does (drained, stopped, or failed: its error is rethrown);
        // a listener that cannot listen stops the host.
        var members: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: host, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .cancelGroup)
        ]
        if let http = configuration.http, let metrics {
            members.append(.init(service: HTTPListener(http, host: host, metrics: metrics, logger: logger), failureTerminationBehavior: .cancelGroup))
        }
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: members, gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        try await Self.run(services, stoppingOn: await UnixSignalsSequence(trapping: .sigterm, .sigint), logger: logger)
    }

    /// Runs `services` until they end. The first of `signals` shuts them down gracefully; the
    /// next one cancels them, which stops the host at once.
    static func run(_ services: ServiceGroup, stoppingOn signals: UnixSignalsSequence, logger: Logger) async throws {
        enum Ended { case services, stopAtOnce }
        try await withThrowingTaskGroup(of: Ended.self) { group in
            group.addTask {
                try await services.run()
                return .services
            }
            group.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    if received == 1 {
                        logger.info("\(signal): stopping gracefully; \(signal) again stops at once")
                        await services.triggerGracefulShutdown()
                    } else {
                        logger.warning("\(signal) again: stopping at once; unfinished jobs go back to their queues uncharged")
                        return .stopAtOnce
                    }
                }
                return .stopAtOnce  // cancelled: the services have ended
            }
            let first = try await group.next()
            group.cancelAll()
            if first == .stopAtOnce {
                do {
                    _ = try await group.next()
                } catch is CancellationError {}
            }
        }
    }
}
