import Glibc
import JobQueue
import JobQueueConfig
import JobQueuePlugins

/// How the configuration file maps onto the engine's and the fork server's settings.
extension Configuration {
    func consumerSettings(drain: Bool) -> ConsumerSettings {
        var settings = consumer
        settings.drain = drain
        settings.retention = retention
        return settings
    }

    /// Topics that name a plugin, as the fork server loads them.
    public var pluginSpecs: [PluginSpec] {
        topics.compactMap { topic in
            topic.plugin.map { PluginSpec(topic: topic.name, path: $0, configJSON: topic.pluginConfigJSON, policy: topic.policy) }
        }
    }

    /// How the fork server of topic `name` is started: as `children:` says, with the topic's own
    /// `user:` if it has one, confined as its `sandbox:` says.
    public func forkServerConfiguration(forTopic name: String) -> ForkServer.Configuration {
        var settings = forkServerConfiguration
        guard let topic = topics.first(where: { $0.name == name }) else { return settings }
        if let user = topic.user { settings.runAs = Self.runAs(user) }
        settings.sandbox = topic.effectiveSandbox
        return settings
    }

    /// The topics whose plugins would run as root: the host runs as root, and neither the topic's
    /// `user:` nor `children.user` names another user.
    public var topicsRunningAsRoot: [String] {
        guard geteuid() == 0 else { return [] }
        return topics.filter { topic in
            (topic.user ?? children.user).flatMap(Self.identity(of:)).map { $0.uid == 0 } ?? true
        }.map(\.name)
    }

    /// The warning a host running plugins as root logs, `check` prints and `status` shows.
    public var rootWarning: String? {
        let topics = topicsRunningAsRoot
        guard !topics.isEmpty else { return nil }
        return "plugins of \(topics.joined(separator: ", ")) run as root: set children.user (or a topic's user:) to a user of their own"
    }

    public var forkServerConfiguration: ForkServer.Configuration {
        let limits = children.limits
        return ForkServer.Configuration(
            limits: ForkServer.ResourceLimits(
                addressSpaceBytes: UInt64(limits.addressSpace ?? 0),
                cpuSeconds: UInt64(limits.cpuTime.map { max($0.components.seconds, 1) } ?? 0),
                openFiles: UInt64(limits.openFiles ?? 0)),
            swiftBacktraces: children.backtrace,
            runAs: children.user.flatMap(Self.runAs),
            initTimeout: children.initTimeout)
    }

    /// Who a fork server switches to for `user`: nil (it stays as it is) for root.
    private static func runAs(_ user: String) -> ForkServer.UserIdentity? {
        identity(of: user).flatMap { $0.uid == 0 ? nil : $0 }
    }

    /// The uid and primary gid of a user name or numeric uid; nil if there is no such user.
    static func identity(of user: String) -> ForkServer.UserIdentity? {
        let entry = UInt32(user).map { getpwuid($0) } ?? getpwnam(user)
        guard let entry else { return nil }
        return ForkServer.UserIdentity(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Files whose change triggers a reload: this file and every plugin.
    public var watchedFiles: [String] { [file] + Set(pluginSpecs.map(\.path)).sorted() }

    /// Why this configuration cannot run a host, if it cannot: a one-line error naming the place.
    /// Unless `trustingFiles`, the config file and every plugin must pass `FileTrust`.
    public func hostProblem(trustingFiles: Bool) -> String? {
        if topics.isEmpty { return "\(file): no topics to serve (add a `topics:` section)" }
        if let topic = topics.first(where: { $0.plugin == nil }) {
            return "\(file):\(topic.mark.line):\(topic.mark.column): topic '\(topic.name)' has no plugin"
        }
        if let user = children.user {
            if Self.identity(of: user) == nil { return "\(file): children.user: no such user '\(user)'" }
            if geteuid() != 0 { return "\(file): children.user '\(user)' needs the host to run as root" }
        }
        for topic in topics {
            guard let user = topic.user else { continue }
            let place = "\(file):\(topic.mark.line):\(topic.mark.column): topic '\(topic.name)'"
            if Self.identity(of: user) == nil { return "\(place): user: no such user '\(user)'" }
            if geteuid() != 0 { return "\(place): user '\(user)' needs the host to run as root" }
        }
        if !trustingFiles, let problem = watchedFiles.lazy.compactMap(FileTrust.problem(with:)).first {
            return problem
        }
        return nil
    }
}
