/// What is computed from the measured rows: our figures as fractions of the machine's limits,
/// and the targets.
enum Summary {
    static func fractions(_ rows: [Row]) -> [Row] {
        let value = Dictionary(rows.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        let pairs: [(key: String, label: String, ours: String, limit: String)] = [
            (
                "fraction.enqueue.batched", "best batched enqueue (full) / raw SQLite batched inserts (full)", "enqueue.batched.best.full",
                "limits.raw.batched.full"
            ),
            (
                "fraction.enqueue.single.full", "1 job/transaction enqueue (full) / raw 1 row/transaction (full)", "enqueue.single.p1.full",
                "limits.raw.single.full"
            ),
            ("fraction.enqueue.single.fsync", "1 job/transaction enqueue (full) / fsyncs per second", "enqueue.single.p1.full", "limits.fsync"),
            (
                "fraction.enqueue.single.normal", "1 job/transaction enqueue (normal) / raw 1 row/transaction (normal)", "enqueue.single.p1.normal",
                "limits.raw.single.normal"
            ),
            ("fraction.e2e.best", "best end-to-end (plugin) / raw SQLite batched inserts (full)", "e2e.plugin.best", "limits.raw.batched.full"),
            (
                "fraction.e2e.default", "end-to-end batch 100 × 4, the defaults (plugin) / raw batched inserts (full)", "e2e.plugin.b100.c4",
                "limits.raw.batched.full"
            ),
            ("fraction.e2e.batch1", "end-to-end batch 1 × 4 (plugin) / fsyncs per second", "e2e.plugin.b1.c4", "limits.fsync"),
        ]
        return pairs.compactMap { pair in
            guard let ours = value[pair.ours], let limit = value[pair.limit], limit > 0 else { return nil }
            return Row(.fractions, pair.key, pair.label, ours / limit, "fraction")
        }
    }

    static let targets: [Target] = [
        target("end to end, best batch size", "e2e.plugin.best", 50_000, atLeast: true, "jobs/s"),
        target("end to end, defaults (batch 100 × concurrency 4)", "e2e.plugin.b100.c4", 10_000, atLeast: true, "jobs/s"),
        target("end to end, batch 10 × concurrency 4", "e2e.plugin.b10.c4", 10_000, atLeast: true, "jobs/s"),
        target("batched enqueue (best of 100/1000 × 1/4 producers)", "enqueue.batched.best.full", 100_000, atLeast: true, "jobs/s"),
        target("1 job/transaction enqueue, 1 producer", "enqueue.single.p1.full", 5_000, atLeast: true, "jobs/s"),
        target("idle start latency p50 (to outcome)", "latency.producer.plugin.p50", 5, atLeast: false, "ms"),
        target("idle start latency p99 (to outcome)", "latency.producer.plugin.p99", 20, atLeast: false, "ms"),
        target("100,000 queues / 1 queue", "tenants.ratio.q100000", 0.8, atLeast: true, "×"),
        target("1M idle queues: 1 queue with / without them", "tenants.idlecost", 0.9, atLeast: true, "×"),
        target("fairness p99, 100 newcomers at once", "fairness.burst.p99", 100, atLeast: false, "ms"),
        target("host peak RSS, 1,000,000 jobs queued", "memory.host.peak", 64, atLeast: false, "MiB"),
        target("fork server peak RSS", "memory.forkserver.peak", 16, atLeast: false, "MiB"),
        target("8 timed jobs in one queue: wall / ideal", "timed.case.one", 1.25, atLeast: false, "×"),
        target("8 timed jobs in 8 queues: wall / ideal", "timed.case.spread", 1.25, atLeast: false, "×"),
        target("8 in one queue + 8 in 8 queues: wall / ideal", "timed.case.both", 1.25, atLeast: false, "×"),
        target("200 ms jobs: consumer utilisation", "timed.ms200.utilisation", 0.9, atLeast: true, "fraction"),
        target("20 ms jobs: consumer utilisation", "timed.ms20.utilisation", 0.9, atLeast: true, "fraction"),
        target("mix of no-op and 200 ms: consumer utilisation", "timed.mix.utilisation", 0.9, atLeast: true, "fraction"),
    ]

    private static func target(_ name: String, _ key: String, _ goal: Double, atLeast: Bool, _ unit: String) -> Target {
        Target(name: name, key: key, goal: goal, atLeast: atLeast, unit: unit)
    }

    static func evaluate(_ rows: [Row]) -> [Target] {
        let value = Dictionary(rows.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        return targets.map { target in
            var target = target
            if let measured = value[target.key], measured.isFinite {
                target.value = measured
                target.met = target.atLeast ? measured >= target.goal : measured <= target.goal
            }
            return target
        }
    }

    /// Several runs folded into one: each row's value becomes the median of its runs.
    static func medians(_ runs: [[Row]]) -> [Row] {
        guard var merged = runs.first else { return [] }
        for index in merged.indices {
            let key = merged[index].key
            let values = runs.compactMap { run in run.first { $0.key == key }?.value }.filter(\.isFinite)
            merged[index].value = median(values)
            merged[index].runs = values
            let processed = runs.compactMap { run in run.first { $0.key == key }?.processed }
            if !processed.isEmpty { merged[index].processed = processed.min() }
        }
        return merged
    }
}
