import JobQueue

/// Everything a `config.yaml` says, validated, with defaults filled in and relative paths made
/// absolute: what the `jobqueue` host needs to open its store and run its topics.
///
/// Read one with `Configuration.load(path:)`, or `parse(yaml:file:baseDirectory:)` for text
/// from elsewhere. Every section and key of the file is optional; each property's type documents
/// its keys' defaults and ranges. The keys are snake_case versions of the property names:
///
/// ```yaml
/// store:    { path: jobqueue.db, sync: full, busy_timeout: 5s, max_payload: 1MiB }
/// consumer: { concurrency: 4, batch_size: 100, lease: 30s, poll: 100ms, grace: 30s, scan_width: 10 }
/// defaults: { priority: 100, max_retries: 3, timeout: 30s, backoff: { base: 1s, max: 1h, jitter: 0.1 } }
/// children: { backtrace: false, limits: { address_space: 4GiB, cpu_time: 10m, open_files: 256 } }
/// log:      { level: info, format: text }
/// http:     { listen: 127.0.0.1:9187, token_env: JOBQUEUE_TOKEN }   # absent: no listener
/// retention: { completed: 0s, dead: 30d }  # how long finished jobs are kept; dead: none = until purged
/// topics:
///   email:send:                           # any of the `defaults` keys, plus:
///     plugin: plugins/libEmailWorker.so   # relative to the config file's folder
///     config: { outbox: outbox/ }         # free-form; handed to the plugin as JSON
/// schedules:
///   nightly-report: { topic: report:build, queue: ops, cron: "0 3 * * *", timezone: Europe/Berlin }
///   heartbeat: { topic: ping, queue: ops, every: 30s, payload: { kind: ping }, catch_up: none }
/// ```
///
/// Loading is strict: unknown keys, values of the wrong kind or out of range, duplicate keys and
/// YAML syntax errors all fail with a `ConfigError` pointing at the exact line and column.
public struct Configuration: Sendable, Equatable {
    /// The config file's absolute path; `"<string>"` when parsed from text without one.
    public var file: String
    public var store: StoreConfiguration
    public var consumer: ConsumerSettings
    /// The policy of topics that do not set their own values, field by field.
    public var defaults: TopicPolicy
    public var children: ChildConfiguration
    public var log: LogConfiguration
    /// The HTTP listener; nil (no `http:` section) for none.
    public var http: HTTPConfiguration?
    /// How long completed jobs and dead letters are kept.
    public var retention: Retention
    /// In file order.
    public var topics: [TopicConfiguration]
    /// Recurring jobs, in file order; the host ticks them (see `Schedule`).
    public var schedules: [Schedule]

    public init(
        file: String = "<string>",
        store: StoreConfiguration = StoreConfiguration(),
        consumer: ConsumerSettings = ConsumerSettings(),
        defaults: TopicPolicy = .default,
        children: ChildConfiguration = ChildConfiguration(),
        log: LogConfiguration = LogConfiguration(),
        http: HTTPConfiguration? = nil,
        retention: Retention = Retention(),
        topics: [TopicConfiguration] = [],
        schedules: [Schedule] = []
    ) {
        self.schedules = schedules
        self.file = file
        self.store = store
        self.consumer = consumer
        self.defaults = defaults
        self.children = children
        self.log = log
        self.http = http
        self.retention = retention
        self.topics = topics
    }

    /// Every topic's policy (its settings over `defaults:`), and `defaults:` for other topics: the
    /// one value the host and the CLI hand to the pipeline and the client.
    public var policies: TopicPolicies {
        TopicPolicies(Dictionary(topics.map { ($0.name, $0.policy) }, uniquingKeysWith: { first, _ in first }), defaults: defaults)
    }

    /// The topic called `name`, if the file configures it.
    public func topic(named name: String) -> TopicConfiguration? {
        topics.first { $0.name == name }
    }
}

extension Configuration {
    /// The limits of the topics that set any (see ``TopicLimits``).
    public var topicLimits: [String: TopicLimits] { policies.limits(of: topics.map(\.name)) }
}
