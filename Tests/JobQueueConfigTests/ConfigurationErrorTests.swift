import Testing

@testable import JobQueueConfig

@Suite("Configuration: range, type and key errors")
struct ConfigurationErrorTests {
    /// Each value is the one offending value of its YAML; the error must point exactly at it.
    @Test(arguments: [
        // consumer
        ("consumer:\n  concurrency: 0", "config.yaml:2:16: consumer.concurrency must be between 1 and 1024, got 0"),
        ("consumer:\n  concurrency: 1025", "config.yaml:2:16: consumer.concurrency must be between 1 and 1024, got 1025"),
        ("consumer:\n  concurrency: many", "config.yaml:2:16: consumer.concurrency must be an integer, got 'many'"),
        ("consumer:\n  concurrency: 4.5", "config.yaml:2:16: consumer.concurrency must be an integer, got '4.5'"),
        ("consumer:\n  batch_size: 0", "config.yaml:2:15: consumer.batch_size must be between 1 and 10000, got 0"),
        ("consumer:\n  batch_size: 10001", "config.yaml:2:15: consumer.batch_size must be between 1 and 10000, got 10001"),
        ("consumer:\n  lease: 5ms", "config.yaml:2:10: consumer.lease must be between 10ms and 1d, got 5ms"),
        ("consumer:\n  lease: 25h", "config.yaml:2:10: consumer.lease must be between 10ms and 1d, got 25h"),
        ("consumer:\n  lease: abc", "config.yaml:2:10: consumer.lease must be a duration like 30s or 1500ms, got 'abc'"),
        ("consumer:\n  lease: 30", "config.yaml:2:10: consumer.lease must be a duration like 30s or 1500ms, got '30'"),
        ("consumer:\n  lease:", "config.yaml:2:9: consumer.lease must be a duration like 30s or 1500ms, got an empty value"),
        ("consumer:\n  lease: {seconds: 30}", "config.yaml:2:10: consumer.lease must be a duration like 30s or 1500ms, got a mapping"),
        ("consumer:\n  lease: [30s]", "config.yaml:2:10: consumer.lease must be a duration like 30s or 1500ms, got a list"),
        ("consumer:\n  poll: 0ms", "config.yaml:2:9: consumer.poll must be between 1ms and 1h, got 0ms"),
        ("consumer:\n  poll: 61m", "config.yaml:2:9: consumer.poll must be between 1ms and 1h, got 61m"),
        ("consumer:\n  grace: 25h", "config.yaml:2:10: consumer.grace must be between 0s and 1d, got 25h"),
        ("consumer:\n  scan_width: 0", "config.yaml:2:15: consumer.scan_width must be between 1 and 1000, got 0"),
        ("consumer:\n  scan_width: 1001", "config.yaml:2:15: consumer.scan_width must be between 1 and 1000, got 1001"),
        ("consumer: 5", "config.yaml:1:11: consumer must be a mapping, got '5'"),
        // store
        ("store:\n  busy_timeout: 11m", "config.yaml:2:17: store.busy_timeout must be between 0s and 10m, got 11m"),
        ("store:\n  max_payload: 0", "config.yaml:2:16: store.max_payload must be between 1B and 256MiB, got 0"),
        ("store:\n  max_payload: 257MiB", "config.yaml:2:16: store.max_payload must be between 1B and 256MiB, got 257MiB"),
        ("store:\n  max_payload: lots", "config.yaml:2:16: store.max_payload must be a size like 1MiB, 512KB or 1048576, got 'lots'"),
        ("store:\n  sync: fast", "config.yaml:2:9: store.sync must be one of full, normal, got 'fast'"),
        ("store:\n  path: [a]", "config.yaml:2:9: store.path must be non-empty text, got a list"),
        ("store:\n  path: ''", "config.yaml:2:9: store.path must be non-empty text, got an empty value"),
        // defaults
        ("defaults:\n  priority: 1000001", "config.yaml:2:13: defaults.priority must be between -1000000 and 1000000, got 1000001"),
        ("defaults:\n  priority: -1000001", "config.yaml:2:13: defaults.priority must be between -1000000 and 1000000, got -1000001"),
        ("defaults:\n  priority: 1.5", "config.yaml:2:13: defaults.priority must be an integer, got '1.5'"),
        ("defaults:\n  max_retries: -1", "config.yaml:2:16: defaults.max_retries must be between 0 and 1000, got -1"),
        ("defaults:\n  max_retries: 1001", "config.yaml:2:16: defaults.max_retries must be between 0 and 1000, got 1001"),
        ("defaults:\n  timeout: 0s", "config.yaml:2:12: defaults.timeout must be between 1ms and 1d or none, got 0s"),
        ("defaults:\n  timeout: 2d", "config.yaml:2:12: defaults.timeout must be between 1ms and 1d or none, got 2d"),
        ("defaults:\n  timeout: forever", "config.yaml:2:12: defaults.timeout must be a duration like 30s or 1500ms, or none, got 'forever'"),
        ("defaults:\n  backoff: {base: 0ms}", "config.yaml:2:19: defaults.backoff.base must be between 1ms and 1d, got 0ms"),
        ("defaults:\n  backoff: {base: 25h}", "config.yaml:2:19: defaults.backoff.base must be between 1ms and 1d, got 25h"),
        ("defaults:\n  backoff: {base: 10s, max: 5s}", "config.yaml:2:29: defaults.backoff.max must be at least the backoff base (10s), got 5s"),
        ("defaults:\n  backoff: {base: 2h}", "config.yaml:2:19: defaults.backoff.base must be at most the backoff max (1h), got 2h"),
        ("defaults:\n  backoff: {max: 0ms}", "config.yaml:2:18: defaults.backoff.max must be at least 1ms, got 0ms"),
        ("defaults:\n  backoff: {jitter: 1.5}", "config.yaml:2:21: defaults.backoff.jitter must be between 0 and 1, got 1.5"),
        ("defaults:\n  backoff: {jitter: -0.1}", "config.yaml:2:21: defaults.backoff.jitter must be between 0 and 1, got -0.1"),
        ("defaults:\n  backoff: {jitter: lots}", "config.yaml:2:21: defaults.backoff.jitter must be a number, got 'lots'"),
        ("defaults:\n  backoff: 5s", "config.yaml:2:12: defaults.backoff must be a mapping, got '5s'"),
        // children
        ("children:\n  backtrace: maybe", "config.yaml:2:14: children.backtrace must be true or false, got 'maybe'"),
        ("children:\n  init_timeout: 10ms", "config.yaml:2:17: children.init_timeout must be between 100ms and 1h, got 10ms"),
        ("children:\n  limits: {address_space: 1MiB}", "config.yaml:2:27: children.limits.address_space must be at least 16MiB or none, got 1MiB"),
        (
            "children:\n  limits: {address_space: huge}",
            "config.yaml:2:27: children.limits.address_space must be a size like 1MiB, 512KB or 1048576, or none, got 'huge'"
        ),
        ("children:\n  limits: {cpu_time: 500ms}", "config.yaml:2:22: children.limits.cpu_time must be at least 1s or none, got 500ms"),
        ("children:\n  limits: {cpu_time: 1500ms}", "config.yaml:2:22: children.limits.cpu_time must be whole seconds, got 1500ms"),
        ("children:\n  limits: {open_files: 8}", "config.yaml:2:24: children.limits.open_files must be between 16 and 1048576 or none, got 8"),
        (
            "children:\n  limits: {open_files: 2000000}",
            "config.yaml:2:24: children.limits.open_files must be between 16 and 1048576 or none, got 2000000"
        ),
        ("children:\n  limits: {open_files: lots}", "config.yaml:2:24: children.limits.open_files must be an integer, or none, got 'lots'"),
        // log
        ("log:\n  level: verbose", "config.yaml:2:10: log.level must be one of trace, debug, info, notice, warning, error, critical, got 'verbose'"),
        ("log:\n  format: xml", "config.yaml:2:11: log.format must be one of text, json, got 'xml'"),
        // topics
        ("topics:\n  t:\n    priority: 2000000", "config.yaml:3:15: topics.t.priority must be between -1000000 and 1000000, got 2000000"),
        ("topics:\n  t:\n    timeout: soon", "config.yaml:3:14: topics.t.timeout must be a duration like 30s or 1500ms, or none, got 'soon'"),
        ("topics:\n  t:\n    backoff: {base: 2h}", "config.yaml:3:21: topics.t.backoff.base must be at most the backoff max (1h), got 2h"),
        ("topics:\n  t:\n    plugin: ''", "config.yaml:3:13: topics.t.plugin must be non-empty text, got an empty value"),
        ("topics:\n  t:\n    config: 5", "config.yaml:3:13: topics.t.config must be a mapping of settings for the plugin, got '5'"),
        ("topics:\n  t:\n    config: [a]", "config.yaml:3:13: topics.t.config must be a mapping of settings for the plugin, got a list"),
        ("topics:\n  t: 5", "config.yaml:2:6: topics.t must be a mapping, got '5'"),
        ("topics: [a]", "config.yaml:1:9: topics must be a mapping from topic names to their settings, got a list"),
        ("topics:\n  a b: {}", "config.yaml:2:3: topic name 'a b' must not contain spaces or control characters"),
        ("topics:\n  \"a\\tb\": {}", "config.yaml:2:3: topic name 'a\\tb' must not contain spaces or control characters"),
        ("topics:\n  '': {}", "config.yaml:2:3: a topic name must not be empty"),
        (
            "topics:\n  \(String(repeating: "x", count: 256)): {}",
            "config.yaml:2:3: topic name '\(String(repeating: "x", count: 39))…' is 256 bytes long; the limit is 255"
        ),
        // the document itself
        ("- a\n- b", "config.yaml:1:1: the configuration must be a mapping of sections like 'store:' and 'topics:', got a list"),
        ("just text", "config.yaml:1:1: the configuration must be a mapping of sections like 'store:' and 'topics:', got 'just text'"),
    ])
    func errorsNameTheFieldAndPointAtTheValue(yaml: String, expected: String) {
        #expect(parseErrorDescription(yaml) == expected)
    }

    @Test(arguments: [
        ("consumer:\n  concurency: 8", "config.yaml:2:3: unknown key 'concurency' in consumer (did you mean 'concurrency'?)"),
        ("consumer:\n  batchSize: 8", "config.yaml:2:3: unknown key 'batchSize' in consumer (did you mean 'batch_size'?)"),
        ("consumr:\n  concurrency: 8", "config.yaml:1:1: unknown section 'consumr' (did you mean 'consumer'?)"),
        ("Store: {}", "config.yaml:1:1: unknown section 'Store' (did you mean 'store'?)"),
        (
            "plugins: {}",
            "config.yaml:1:1: unknown section 'plugins' (expected one of: store, consumer, defaults, children, log, http, retention, topics, schedules)"
        ),
        (
            "consumer:\n  workers: 1",
            "config.yaml:2:3: unknown key 'workers' in consumer (expected one of: concurrency, batch_size, lease, poll, grace, scan_width)"
        ),
        ("defaults:\n  max_retry: 1", "config.yaml:2:3: unknown key 'max_retry' in defaults (did you mean 'max_retries'?)"),
        ("defaults:\n  backoff:\n    jiter: 0.2", "config.yaml:3:5: unknown key 'jiter' in defaults.backoff (did you mean 'jitter'?)"),
        ("children:\n  limits:\n    open_file: 20", "config.yaml:3:5: unknown key 'open_file' in children.limits (did you mean 'open_files'?)"),
        ("topics:\n  t:\n    priorty: 1", "config.yaml:3:5: unknown key 'priorty' in topics.t (did you mean 'priority'?)"),
        ("topics:\n  t:\n    plugins: a.so", "config.yaml:3:5: unknown key 'plugins' in topics.t (did you mean 'plugin'?)"),
        (
            "topics:\n  t:\n    concurrency: 2",
            "config.yaml:3:5: unknown key 'concurrency' in topics.t (expected one of: plugin, config, user, sandbox, priority, max_retries, timeout, backoff, max_running, max_running_per_queue, rate)"
        ),
    ])
    func unknownKeysSuggestTheNearestValidKey(yaml: String, expected: String) {
        #expect(parseErrorDescription(yaml) == expected)
    }

    @Test func errorsCarryTheirPartsSeparately() throws {
        let error = try #require(throws: ConfigError.self) { try parseConfig("consumer:\n  concurrency: 0\n") }
        #expect(error == ConfigError(file: "config.yaml", line: 2, column: 16, message: "consumer.concurrency must be between 1 and 1024, got 0"))
        #expect(error.mark == Mark(line: 2, column: 16))
    }

    @Test func duplicateTopicsAreDuplicateKeys() {
        #expect(parseErrorDescription("topics:\n  a: {}\n  b: {}\n  a: {}\n") == "config.yaml:4:3: duplicate key 'a' (first at line 2)")
    }

    @Test func descriptionsStayOnOneLine() {
        let description = parseErrorDescription("consumer:\n  lease: \"1\\n2\"\n")
        #expect(description == "config.yaml:2:10: consumer.lease must be a duration like 30s or 1500ms, got '1\\n2'")
        #expect(ConfigError(file: "f", message: "a\nb").description == "f: a\\nb")
    }
}
