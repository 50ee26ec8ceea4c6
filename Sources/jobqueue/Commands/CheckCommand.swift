import ArgumentParser
import Glibc
import JobQueue
import JobQueueConfig
import JobQueueHost
import JobQueuePlugins
import Logging

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check everything `run` checks: the configuration, the store, and every plugin, each loaded in a throwaway child.",
        discussion: """
            Says ok only when `jobqueue run` would start. The store is read, never written (a missing \
            one is reported as to be created). Loading runs each plugin's jq_init. Exits 1 if anything \
            is wrong.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Accept a config or plugins that others could have changed (for development only).")
    var allowInsecureFiles = false

    func run() async throws {
        let configuration = try global.loadConfiguration()
        if !allowInsecureFiles, let problem = FileTrust.problem(with: configuration.file) { throw InputError(problem) }
        // Plugin files others could change are reported per topic below, without being loaded.
        if let problem = configuration.hostProblem(trustingFiles: true) { throw InputError(problem) }
        print("ok    \(global.config): valid")
        print("ok    store \(try await storeReport(configuration.store))")
        if let http = configuration.http {
            print("ok    http \(http.listen): dashboard at /, /metrics, \(http.token == nil ? "no token (loopback only)" : "bearer token required")")
            if let problem = Self.bindProblem(http) { print("warn  http \(http.listen): \(problem): `run` cannot start while it is") }
        }

        let specs = configuration.pluginSpecs
        let distrust = specs.map { allowInsecureFiles ? nil : FileTrust.problem(with: $0.path) }
        let loadable = zip(specs, distrust).filter { $0.1 == nil }.map(\.0)
        var results: [PluginLoadResult] = []
        for spec in loadable {
            results += try await PluginChecker.check([spec], configuration: configuration.forkServerConfiguration(forTopic: spec.topic))
        }
        var loaded = results.makeIterator()
        var failed = 0
        for (spec, problem) in zip(specs, distrust) {
            let result = problem == nil ? loaded.next() : nil
            if let failure = problem ?? result?.failure {
                failed += 1
                print("FAIL  \(spec.topic): \(failure)")
            } else {
                let limits = configuration.topicLimits[spec.topic].map { "limits: \($0.text)" }
                let notes = [result?.notice, limits].compactMap { $0 }
                print("ok    \(spec.topic): \(spec.path)\(notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")")
            }
            if let topic = configuration.topics.first(where: { $0.name == spec.topic }) { print("      sandbox: \(topic.sandboxDescription)") }
        }
        if let warning = configuration.rootWarning { print("warn  \(warning)") }
        if failed > 0 { throw InputError("\(failed) of \(specs.count) plugins failed the check") }
    }

    /// Why the listener's address cannot be bound now (in use, say by the running host), or nil.
    private static func bindProblem(_ http: HTTPConfiguration) -> String? {
        guard http.port != 0 else { return nil }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(http.host, String(http.port), &hints, &found) == 0, let address = found else { return nil }
        defer { freeaddrinfo(found) }
        let fd = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) != 0 else { return nil }
        return String(cString: strerror(errno)).lowercased()
    }

    /// The store's line: where it is and what `run` will do with it. Throws what `run` would.
    private func storeReport(_ store: StoreConfiguration) async throws -> String {
        switch try await store.readiness(logger: Logger(label: "jobqueue", factory: { _ in SwiftLogNoOpLogHandler() })) {
        case .absent: return "\(store.location): none yet; `run` creates it"
        case .ready: return "\(store.location)"
        case .upgradable: return "\(store.location): from an older version; `run` upgrades it"
        }
    }
}
