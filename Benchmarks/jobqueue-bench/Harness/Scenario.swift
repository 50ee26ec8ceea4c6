/// The scenarios, in the order they run. Each lives in its own file under Scenarios/.
enum ScenarioID: String, CaseIterable, Codable, Sendable {
    case limits, enqueue, e2e, timed, latency, tenants, fairness, memory
    /// Rows computed from the others (our figures as fractions of the machine's limits).
    case fractions

    var title: String {
        switch self {
        case .limits: "7. The machine's limits (same disk, same run)"
        case .enqueue: "1. Enqueue rate"
        case .e2e: "2. End-to-end no-op throughput, 20k-job queue drained (sync full)"
        case .timed: "2b. Jobs that take time (plugin sleeping sleep:MS, defaults: batch 100 × concurrency 4, sync full)"
        case .latency: "3. Start latency on an idle host, job enqueued by another process"
        case .tenants: "4. Tenant scale (plugin, defaults: batch 100 × concurrency 4)"
        case .fairness: "5. Fairness: newcomers behind one tenant's backlog (plugin, defaults)"
        case .memory: "6. Memory"
        case .fractions: "Our figures as fractions of the machine's limits"
        }
    }

    func run(_ bench: Bench) async throws -> [Row] {
        switch self {
        case .limits: try await MachineLimitsScenario.run(bench)
        case .enqueue: try await EnqueueScenario.run(bench)
        case .e2e: try await ThroughputScenario.run(bench)
        case .timed: try await TimedJobsScenario.run(bench)
        case .latency: try await StartLatencyScenario.run(bench)
        case .tenants: try await TenantScaleScenario.run(bench)
        case .fairness: try await FairnessScenario.run(bench)
        case .memory: try await MemoryScenario.run(bench)
        case .fractions: []
        }
    }
}
