import JobQueue
import Logging

@testable import JobQueuePlugins

/// A logger that drops everything: tests that look at the log pass a `LogCapture` logger.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Starts an executor over a fresh fork server with the given plugins (by product name).
func startExecutor(
    _ plugins: [(topic: String, product: String, config: String)],
    timeout: Duration? = .seconds(10),
    limits: ForkServer.ResourceLimits = .unlimited,
    logger: Logger = quietLogger
) async throws -> PluginExecutor {
    let specs = try plugins.map {
        PluginSpec(
            topic: $0.topic, path: try BuildProducts.plugin($0.product), configJSON: $0.config,
            policy: TopicPolicy(timeout: timeout)
        )
    }
    return try await PluginExecutor.start(plugins: specs, configuration: try BuildProducts.configuration(limits: limits), logger: logger)
}

/// An executor serving topic "fault" with FaultWorker.
func faultExecutor(
    timeout: Duration? = .seconds(10), limits: ForkServer.ResourceLimits = .unlimited, logger: Logger = quietLogger
) async throws -> PluginExecutor {
    try await startExecutor([("fault", "FaultWorker", "{\"name\": \"fault\"}")], timeout: timeout, limits: limits, logger: logger)
}
