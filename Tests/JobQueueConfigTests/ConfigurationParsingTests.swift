import JobQueue
import Testing

@testable import JobQueueConfig

@Suite("Configuration: values and defaults")
struct ConfigurationParsingTests {
    static let fullExample = """
        store:    { path: jobqueue.db, sync: full, busy_timeout: 5s, max_payload: 1MiB }
        consumer: { concurrency: 4, batch_size: 10, lease: 30s, poll: 100ms, grace: 30s, scan_width: 10 }
        defaults: { priority: 100, max_retries: 3, timeout: 30s, backoff: { base: 1s, max: 1h, jitter: 0.1 } }
        children: { backtrace: false, limits: { address_space: 4GiB, cpu_time: 10m, open_files: 256 }, init_timeout: 2s }
        log:      { level: info, format: text }
        topics:
          email:send:
            plugin: plugins/libEmailWorker.so   # relative to the config file's folder
            priority: 50
            max_retries: 3
            timeout: 30s          # or `none`
            backoff: { base: 1s, max: 1h, jitter: 0.1 }
            config: { outbox: outbox/ }   # any YAML mapping; handed to the plugin as JSON

        """

    @Test func fullExampleParsesIntoTheExpectedValues() throws {
        let configuration = try parseConfig(Self.fullExample)
        let expected = Configuration(
            file: "config.yaml",
            store: StoreConfiguration(
                .sqlite(.init(path: "/srv/jobqueue/jobqueue.db", sync: .full, busyTimeout: .seconds(5))), maxPayload: 1_048_576),
            consumer: ConsumerSettings(
                concurrency: 4, batchSize: 10, lease: .seconds(30), poll: .milliseconds(100), grace: .seconds(30), scanWidth: 10
            ),
            defaults: TopicPolicy(
                priority: 100, maxRetries: 3, backoff: BackoffPolicy(base: .seconds(1), max: .seconds(3600), jitter: 0.1), timeout: .seconds(30)),
            children: ChildConfiguration(
                backtrace: false,
                limits: .init(addressSpace: 4_294_967_296, cpuTime: .seconds(600), openFiles: 256),
                initTimeout: .seconds(2)
            ),
            log: LogConfiguration(level: "info", format: .text),
            topics: [
                TopicConfiguration(
                    name: "email:send",
                    plugin: "/srv/jobqueue/plugins/libEmailWorker.so",
                    policy: TopicPolicy(
                        priority: 50, maxRetries: 3, backoff: BackoffPolicy(base: .seconds(1), max: .seconds(3600), jitter: 0.1),
                        timeout: .seconds(30)),
                    pluginConfigJSON: #"{"outbox":"outbox/"}"#,
                    mark: Mark(line: 7, column: 3)
                )
            ]
        )
        #expect(configuration == expected)
        #expect(configuration.topic(named: "email:send") == expected.topics[0])
        #expect(configuration.topic(named: "email") == nil)
    }

    @Test(arguments: ["", "# nothing configured yet\n", "---\n", "store:\nconsumer: ~\ntopics:\n"])
    func missingSectionsTakeTheirDefaults(yaml: String) throws {
        let configuration = try parseConfig(yaml)
        #expect(configuration == Configuration(file: "config.yaml", store: StoreConfiguration(.sqlite(.init(path: "/srv/jobqueue/jobqueue.db")))))
        #expect(configuration.store.backend == .sqlite(.init(path: "/srv/jobqueue/jobqueue.db", sync: .full, busyTimeout: .seconds(5))))
        #expect(configuration.store.maxPayload == 1 << 20)
        #expect(
            configuration.consumer
                == ConsumerSettings(
                    concurrency: 4, batchSize: 100, lease: .seconds(30), poll: .milliseconds(100), grace: .seconds(30), scanWidth: 10
                ))
        #expect(
            configuration.defaults
                == TopicPolicy(
                    priority: 100, maxRetries: 3, backoff: BackoffPolicy(base: .seconds(1), max: .seconds(3600), jitter: 0.1), timeout: .seconds(30)))
        #expect(
            configuration.children
                == ChildConfiguration(backtrace: false, limits: .init(addressSpace: 4 << 30, cpuTime: .seconds(600), openFiles: 256)))
        #expect(configuration.log == LogConfiguration(level: "info", format: .text))
        #expect(configuration.topics.isEmpty)
    }

    @Test func missingKeysKeepTheirDefaultsWithinASection() throws {
        let configuration = try parseConfig("consumer:\n  concurrency: 16\n")
        #expect(configuration.consumer == ConsumerSettings(concurrency: 16))
    }

    @Test func topicsInheritEachMissingPolicyFieldFromDefaults() throws {
        let configuration = try parseConfig(
            """
            defaults:
              priority: 10
              max_retries: 7
              timeout: none
              backoff: { base: 2s, jitter: 0.5 }
            topics:
              plain:
              partial:
                max_retries: 0
                timeout: 5m
                backoff: { max: 10m }

            """)
        let defaults = TopicPolicy(
            priority: 10, maxRetries: 7, backoff: BackoffPolicy(base: .seconds(2), max: .seconds(3600), jitter: 0.5), timeout: nil)
        #expect(configuration.defaults == defaults)
        #expect(configuration.topics.map(\.name) == ["plain", "partial"])
        #expect(configuration.topic(named: "plain")?.policy == defaults)
        #expect(configuration.topic(named: "plain")?.plugin == nil)
        #expect(configuration.topic(named: "plain")?.pluginConfigJSON == "{}")
        #expect(
            configuration.topic(named: "partial")?.policy
                == TopicPolicy(
                    priority: 10, maxRetries: 0, backoff: BackoffPolicy(base: .seconds(2), max: .seconds(600), jitter: 0.5), timeout: .seconds(300)))
    }

    @Test func topicsKeepFileOrderAndMarks() throws {
        let configuration = try parseConfig("topics:\n  zeta: {}\n  alpha: {}\n  'quoted:name': ~\n")
        #expect(configuration.topics.map(\.name) == ["zeta", "alpha", "quoted:name"])
        #expect(configuration.topics.map(\.mark) == [Mark(line: 2, column: 3), Mark(line: 3, column: 3), Mark(line: 4, column: 3)])
    }

    @Test func relativePathsResolveAgainstTheBaseDirectory() throws {
        let configuration = try parseConfig(
            """
            store: { path: ../data/./queue.db }
            topics:
              a: { plugin: plugins/libA.so }
              b: { plugin: /opt/plugins/libB.so }
              c: { plugin: ./libC.so }

            """)
        #expect(configuration.store.location == .path("/srv/data/queue.db"))
        #expect(configuration.topics.map(\.plugin) == ["/srv/jobqueue/plugins/libA.so", "/opt/plugins/libB.so", "/srv/jobqueue/libC.so"])
    }

    @Test func parseWithoutAFileNameUsesAPlaceholder() throws {
        let configuration = try Configuration.parse(yaml: "log: { level: debug, format: json }", baseDirectory: "/tmp")
        #expect(configuration.file == "<string>")
        #expect(configuration.log == LogConfiguration(level: "debug", format: .json))
        #expect(configuration.store.location == .path("/tmp/jobqueue.db"))
    }

    @Test func noneLiftsLimitsAndTimeouts() throws {
        let configuration = try parseConfig(
            """
            defaults: { timeout: none }
            children: { backtrace: yes, limits: { address_space: none, cpu_time: none, open_files: none } }

            """)
        #expect(configuration.defaults.timeout == nil)
        #expect(configuration.children == ChildConfiguration(backtrace: true, limits: .init(addressSpace: nil, cpuTime: nil, openFiles: nil)))
    }

    @Test(arguments: [("true", true), ("yes", true), ("on", true), ("On", true), ("false", false), ("no", false), ("off", false), ("FALSE", false)])
    func booleansAcceptTheCommonSpellings(text: String, expected: Bool) throws {
        #expect(try parseConfig("children: { backtrace: \(text) }").children.backtrace == expected)
    }

    @Test func valuesAtTheEdgesOfTheirRangesAreAccepted() throws {
        let configuration = try parseConfig(
            """
            store: { sync: normal, busy_timeout: 0s, max_payload: 256MiB }
            consumer: { concurrency: 1024, batch_size: 10000, lease: 10ms, poll: 1h, grace: 0ms, scan_width: 1000 }
            defaults: { priority: -1000000, max_retries: 1000, timeout: 24h, backoff: { base: 24h, max: 24h, jitter: 1 } }
            children: { limits: { address_space: 16MiB, cpu_time: 1s, open_files: 1048576 } }

            """)
        #expect(
            configuration.store
                == StoreConfiguration(.sqlite(.init(path: "/srv/jobqueue/jobqueue.db", sync: .normal, busyTimeout: .zero)), maxPayload: 256 << 20))
        #expect(
            configuration.consumer
                == ConsumerSettings(
                    concurrency: 1024, batchSize: 10_000, lease: .milliseconds(10), poll: .seconds(3600), grace: .zero, scanWidth: 1000
                ))
        #expect(
            configuration.defaults
                == TopicPolicy(
                    priority: -1_000_000, maxRetries: 1000, backoff: BackoffPolicy(base: .seconds(86_400), max: .seconds(86_400), jitter: 1),
                    timeout: .seconds(86_400)))
        #expect(configuration.children.limits == .init(addressSpace: 16 << 20, cpuTime: .seconds(1), openFiles: 1_048_576))
    }

    @Test func aliasesCanShareValues() throws {
        let configuration = try parseConfig("defaults:\n  timeout: &t 45s\nconsumer:\n  lease: *t\n")
        #expect(configuration.consumer.lease == .seconds(45))
        #expect(configuration.defaults.timeout == .seconds(45))
    }

    @Test func topicNameMayBeExactly255Bytes() throws {
        let name = String(repeating: "é", count: 127) + "x"
        #expect(try parseConfig("topics:\n  \(name): {}\n").topics.first?.name == name)
    }
}
