import ArgumentParser
import JobQueue
import JobQueueConfig
import JobQueueHost
import Logging

/// Options every command takes, and what they give access to.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "PATH"))
    var config: String = "config.yaml"

    /// The --config value in raw arguments (for messages outside a parsed command).
    static func configPath(in arguments: [String]) -> String {
        if let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count { return arguments[index + 1] }
        return arguments.first { $0.hasPrefix("--config=") }.map { String($0.dropFirst("--config=".count)) } ?? "config.yaml"
    }

    func loadConfiguration() throws -> Configuration {
        try Configuration.load(path: config)
    }

    /// Runs `body` with a client over the configured store that applies the configured topic
    /// defaults, and closes the store afterwards, whatever `body` does. A command that only
    /// reads passes `creatingStore: false`: it fails on a store that does not exist, creating nothing.
    func withClient<Result>(creatingStore: Bool = true, _ body: (JobClient) async throws -> Result) async throws -> Result {
        let configuration = try loadConfiguration()
        let store = try await configuration.store.open(
            creating: creatingStore, logger: Logger(label: "jobqueue", factory: { _ in SwiftLogNoOpLogHandler() }))
        let client = JobClient(
            store: store,
            policies: configuration.policies,
            maxPayload: configuration.store.maxPayload)
        do {
            let result = try await body(client)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
