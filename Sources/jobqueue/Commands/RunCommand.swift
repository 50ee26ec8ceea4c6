import ArgumentParser
import Foundation
import JobQueue
import JobQueueConfig
import JobQueueHost
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the host: serve the configured topics with their plugins until stopped.",
        discussion: """
            Every batch runs in a forked child, so a crashing or hanging plugin never takes the host \
            down. Editing config.yaml or replacing a plugin file reloads without dropping jobs (SIGHUP \
            forces it). SIGTERM or SIGINT stops gracefully: no new work, running batches get `grace` \
            to finish.
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
        let host = HostService(
            configPath: global.config, configuration: configuration, drain: drain, trustingFiles: allowInsecureFiles, logger: logger)
        // SIGTERM and SIGINT: graceful shutdown. The group ends when the host does (drained,
        // stopped, or failed: its error is rethrown).
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: host, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .cancelGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        try await services.run()
    }
}
