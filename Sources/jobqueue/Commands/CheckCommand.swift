import ArgumentParser
import JobQueue
import JobQueueConfig
import JobQueueHost
import JobQueuePlugins

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and load every plugin in a throwaway child, per topic.",
        discussion: "Loading runs each plugin's jq_init. Exits 1 if anything is wrong."
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Accept a config or plugins that others could have changed (for development only).")
    var allowInsecureFiles = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        if !allowInsecureFiles, let problem = FileTrust.problem(with: configuration.file) { throw InputError(problem) }
        print("ok    \(global.config): valid")
        if let problem = configuration.hostProblem(trustingFiles: true) { throw InputError(problem) }

        // Files that fail the trust check are reported without being loaded.
        let specs = configuration.pluginSpecs
        let distrust = specs.map { allowInsecureFiles ? nil : FileTrust.problem(with: $0.path) }
        let loadable = zip(specs, distrust).filter { $0.1 == nil }.map(\.0)
        var loaded = try await PluginChecker.check(loadable, configuration: configuration.forkServerConfiguration).makeIterator()
        var failed = 0
        for (spec, problem) in zip(specs, distrust) {
            if let failure = problem ?? loaded.next()?.failure {
                failed += 1
                print("FAIL  \(spec.topic): \(failure)")
            } else {
                print("ok    \(spec.topic): \(spec.path)")
            }
        }
        if failed > 0 { throw InputError("\(failed) of \(specs.count) plugins failed the check") }
    }
}
