import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Validates plugins for `jobqueue check`: loads each one in its own throwaway fork server, as the
/// host would (file present, ELF, ABI major version, `jq_perform` exported, `jq_init` succeeds,
/// no thread left behind), and says in one line per topic what is wrong.
///
/// Loading runs the plugin's `jq_init`, and stopping the server its `jq_shutdown`, so a check has
/// whatever side effects those have. A `jq_shutdown` that does not return within
/// `shutdownDeadline` (the host's, ``ForkServer/shutdownDeadline``) is killed, as the host kills
/// it, and noted in the plugin's result.
public enum PluginChecker {
    /// One result per plugin, in order.
    ///
    /// - Throws: ``ForkServerError`` when no fork server can be started at all.
    public static func check(
        _ plugins: [PluginSpec], configuration: ForkServer.Configuration = ForkServer.Configuration(),
        shutdownDeadline: Duration = ForkServer.shutdownDeadline, logger: Logger = Logger(label: "jobqueue.check")
    ) async throws -> [PluginLoadResult] {
        var results: [PluginLoadResult] = []
        for plugin in plugins {
            // A server per plugin: one plugin's state, threads or crash cannot affect another's verdict.
            let server = try ForkServer(configuration: configuration, logger: logger)
            var loaded: [PluginLoadResult]
            do {
                loaded = try await server.load(plugins: [plugin])
            } catch ForkServerError.exited(let status) {
                let how = status.map { " (\($0))" } ?? ""
                loaded = [PluginLoadResult(topic: plugin.topic, failure: "the plugin crashed the process loading it\(how)")]
            }
            let ended = await server.shutdown(killAfter: shutdownDeadline)
            if ended?.signal == SIGKILL {
                for index in loaded.indices where loaded[index].isLoaded {
                    let killed = "jq_shutdown did not return within \(shutdownDeadline.brief): killed, as a host kills it"
                    loaded[index].notice = [loaded[index].notice, killed].compactMap { $0 }.joined(separator: "; ")
                }
            }
            results += loaded
        }
        return results
    }
}
