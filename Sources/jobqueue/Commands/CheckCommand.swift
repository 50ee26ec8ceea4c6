import ArgumentParser
import JobQueue
import JobQueueConfig
import JobQueueHost

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and load every plugin in a throwaway child, per topic.",
        discussion: "Loading runs each plugin's jq_init. Exits 1 if anything is wrong."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let configuration = try global.loadConfiguration()
        print("ok    \(global.config): valid")
        if let problem = configuration.hostProblem { throw InputError(problem) }
        let results = try await PluginChecker.check(configuration.pluginSpecs, configuration: configuration.forkServerConfiguration)
        var failed = 0
        for (spec, result) in zip(configuration.pluginSpecs, results) {
            if let failure = result.failure {
                failed += 1
                print("FAIL  \(spec.topic): \(failure)")
            } else {
                print("ok    \(spec.topic): \(spec.path)")
            }
        }
        if failed > 0 { throw InputError("\(failed) of \(results.count) plugins failed the check") }
    }
}
