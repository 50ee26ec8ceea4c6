import Logging

/// Validates plugins for `jobqueue check`: loads each one in its own throwaway fork server, as the
/// host would (file present, ELF, ABI major version, `jq_perform` exported, `jq_init` succeeds,
/// no thread left behind), and says in one line per topic what is wrong.
///
/// Loading runs the plugin's `jq_init`, so a check has whatever side effects that has.
public enum PluginChecker {
    /// One result per plugin, in order.
    ///
    /// - Throws: ``ForkServerError`` when no fork server can be started at all.
    public static func check(
        _ plugins: [PluginSpec], configuration: ForkServer.Configuration = ForkServer.Configuration(),
        logger: Logger = Logger(label: "jobqueue.check")
    ) async throws -> [PluginLoadResult] {
        var results: [PluginLoadResult] = []
        for plugin in plugins {
            // A server per plugin: one plugin's state, threads or crash cannot affect another's verdict.
            let server = try ForkServer(configuration: configuration, logger: logger)
            do {
                results += try await server.load(plugins: [plugin])
            } catch ForkServerError.exited(let status) {
                let how = status.map { " (\($0))" } ?? ""
                results.append(PluginLoadResult(topic: plugin.topic, failure: "the plugin crashed the process loading it\(how)"))
            }
            await server.shutdown()
        }
        return results
    }
}
