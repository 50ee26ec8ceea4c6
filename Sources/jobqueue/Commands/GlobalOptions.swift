import ArgumentParser
import JobQueue
import JobQueueConfig

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

    func openStore(_ configuration: Configuration) throws -> SQLiteJobStore {
        try SQLiteJobStore(.init(path: configuration.store.path, sync: configuration.store.sync, busyTimeout: configuration.store.busyTimeout))
    }

    /// The configuration, its store, and a client applying the configured topic defaults.
    func client() throws -> (Configuration, JobClient) {
        let configuration = try loadConfiguration()
        let store = try openStore(configuration)
        let client = JobClient(
            store: store,
            policies: Dictionary(configuration.topics.map { ($0.name, $0.policy) }, uniquingKeysWith: { first, _ in first }),
            defaultPolicy: configuration.defaults,
            maxPayload: configuration.store.maxPayload)
        return (configuration, client)
    }
}
