import JobQueue
import JobQueueConfig
import JobQueuePlugins
import Logging

/// One generation: a configuration in effect, and the topic servers (see ``TopicServer``) that
/// serve its topics. A reload starts a new generation, which keeps the servers of unchanged
/// topics and starts new ones for the others, each topic on its own: a topic whose new plugin
/// does not load keeps its previous server (or, new, is not served), with the reason in
/// `refusals`, while the other topics move on.
final class Generation: Sendable {
    let number: Int
    let configuration: Configuration
    /// The server of each topic served.
    let servers: [String: TopicServer]
    /// Why a topic of `configuration` does not run its configured plugin, by topic.
    let refusals: [String: String]
    let policies: TopicPolicies

    private init(number: Int, configuration: Configuration, servers: [String: TopicServer], refusals: [String: String]) {
        self.number = number
        self.configuration = configuration
        self.servers = servers
        self.refusals = refusals
        policies = TopicPolicies(servers.mapValues(\.spec.policy), defaults: configuration.defaults)
    }

    /// Refused topics that nothing serves: refused at start, new ones refused at a reload, or
    /// ones whose previous fork server had died. The host retries them, waiting longer each time.
    var unservedTopics: [String] { refusals.keys.filter { servers[$0] == nil }.sorted() }

    /// Starts a generation for `configuration`, reusing the servers of `previous` that serve an
    /// unchanged topic, and loading the other topics' plugins side by side. Running jobs'
    /// progress reports go to `progress`.
    ///
    /// - Throws: without `previous` (at start), ``PluginLoadError`` with every plugin's problem
    ///   if no plugin loads. When some do, a topic whose plugin is refused is not served (a
    ///   plugin costs at most its own topic), with the reason in `refusals`.
    static func start(
        number: Int, configuration: Configuration, previous: Generation? = nil, progress: @escaping @Sendable (JobID, JobProgress) -> Void,
        logger: Logger
    ) async throws -> Generation {
        var servers: [String: TopicServer] = [:]
        var loading: [PluginSpec] = []
        for spec in configuration.pluginSpecs {
            if let server = previous?.servers[spec.topic], server.serves(spec, settings: configuration.forkServerConfiguration(forTopic: spec.topic))
            {
                servers[spec.topic] = server
            } else {
                loading.append(spec)
            }
        }
        let started = await withTaskGroup(of: (PluginSpec, Result<TopicServer, any Error>).self) { group in
            for spec in loading {
                group.addTask {
                    do {
                        let server = try await TopicServer.start(
                            spec, settings: configuration.forkServerConfiguration(forTopic: spec.topic), defaults: configuration.defaults,
                            progress: progress, logger: logger)
                        return (spec, .success(server))
                    } catch {
                        return (spec, .failure(error))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        if Task.isCancelled {
            // A stop cut the loading short: what failed was not the plugins' doing.
            for case (_, .success(let server)) in started { await server.retire() }
            throw CancellationError()
        }
        var refusals: [String: String] = [:]
        var failures: [PluginLoadResult] = []
        for (spec, result) in started {
            switch result {
            case .success(let server):
                servers[spec.topic] = server
            case .failure(let error as PluginLoadError):
                failures += error.failures
                refusals[spec.topic] = error.failures.compactMap(\.failure).joined(separator: "; ")
            case .failure(let error):
                failures.append(PluginLoadResult(topic: spec.topic, failure: "\(error)"))
                refusals[spec.topic] = "\(error)"
            }
        }
        guard let previous else {
            if !servers.isEmpty { return Generation(number: number, configuration: configuration, servers: servers, refusals: refusals) }
            throw PluginLoadError(failures: configuration.pluginSpecs.compactMap { spec in failures.first { $0.topic == spec.topic } })
        }
        // A refused topic keeps the server it had, if it is still alive.
        for topic in refusals.keys.sorted() {
            if let server = previous.servers[topic], server.isRunning { servers[topic] = server }
        }
        return Generation(number: number, configuration: configuration, servers: servers, refusals: refusals)
    }

    /// The servers of `self` that `next` does not keep, which are retired when `next` takes over.
    func servers(droppedBy next: Generation) -> [TopicServer] {
        servers.values.filter { server in !next.servers.values.contains { $0 === server } }
    }

    /// One line saying which topics did not take their configured plugin, and why.
    var refusalNote: String? {
        guard !refusals.isEmpty else { return nil }
        return refusals.keys.sorted().map { topic in
            let keeps = servers[topic] != nil ? "keeps its previous plugin" : "is not served"
            return "topic \(topic) \(keeps): \(refusals[topic]!)"
        }.joined(separator: "; ")
    }

    /// Retires every server (at shutdown): they exit once their running batches end.
    func retire() async {
        for server in servers.values { await server.retire() }
    }
}
