import Foundation
import GRDB
import JobQueue

/// Tenant scale: the same jobs spread over 1, 1,000 and 100,000 queues (job i goes to queue
/// i mod Q, so with more queues than jobs each busy queue holds one job), drained by the plugin
/// host with the default batch size and concurrency, in a store that also holds 1,000,000 idle
/// queues: each has one job scheduled a day ahead (an empty queue leaves no row at all: its pointer
/// is deleted). Ratios are to the single-queue case with the idle queues; the single queue in an
/// empty store shows what the idle queues cost.
enum TenantScaleScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        let sizes = bench.sizes
        let plugins = try await bench.plugins()
        let settings = ConsumerSettings.bench()
        var rows: [Row] = []

        bench.progress.step("tenants: building a store with \(format(Double(sizes.idleQueues), decimals: 0)) idle queues")
        let base = try await idleStore(bench)
        defer { bench.removeStore(base) }
        let idle = "\(format(Double(sizes.idleQueues), decimals: 0)) idle queues"

        // What the idle queues cost is a small difference between two noisy figures: measure the
        // single queue with and without them in turn, a few times, and compare the medians.
        var bare: [Double] = []
        var crowded: [Double] = []
        for round in 1...sizes.idleCostRounds {
            bench.progress.step("tenants: 1 queue, empty store (\(round) of \(sizes.idleCostRounds))")
            let drained = try await ThroughputScenario.drainFreshStore(
                bench, jobs: sizes.tenantJobs, executor: plugins, settings: settings, what: "tenants: 1 queue, no idle")
            bare.append(drained.rate)
            bench.progress.step("tenants: 1 queue, \(idle) (\(round) of \(sizes.idleCostRounds))")
            crowded.append(try await drainCopy(bench, base: base, queues: 1, settings: settings).rate)
        }
        let runs = sizes.idleCostRounds > 1 ? " (median of \(sizes.idleCostRounds))" : ""
        rows.append(
            Row(
                .tenants, "tenants.q1.noidle", "1 queue, empty store", median(bare), "jobs/s",
                note: "\(format(Double(sizes.tenantJobs), decimals: 0)) jobs\(runs)"))
        rows.append(Row(.tenants, "tenants.q1", "1 queue + \(idle)", median(crowded), "jobs/s", note: "1 busy queue\(runs)"))
        rows.append(Row(.tenants, "tenants.idlecost", "1 queue: with \(idle) / in an empty store", median(crowded) / median(bare), "×"))

        for queues in sizes.tenantQueues where queues > 1 {
            bench.progress.step(
                "tenants: \(format(Double(sizes.tenantJobs), decimals: 0)) jobs over \(format(Double(queues), decimals: 0)) queues, \(idle)")
            let drained = try await drainCopy(bench, base: base, queues: queues, settings: settings)
            let busy = min(queues, sizes.tenantJobs)
            rows.append(
                Row(
                    .tenants, "tenants.q\(queues)", "\(format(Double(queues), decimals: 0)) queues + \(idle)", drained.rate, "jobs/s",
                    note: "\(format(Double(busy), decimals: 0)) busy queues", processed: drained.processed, expected: sizes.tenantJobs))
            rows.append(
                Row(
                    .tenants, "tenants.ratio.q\(queues)", "\(format(Double(queues), decimals: 0)) queues / 1 queue", drained.rate / median(crowded),
                    "×"))
        }
        return rows
    }

    /// Copies the idle store, adds the jobs (job i to queue i mod `queues`) and drains them.
    static func drainCopy(_ bench: Bench, base: String, queues: Int, settings: ConsumerSettings) async throws -> Drained {
        let jobs = bench.sizes.tenantJobs
        let path = bench.newStorePath("tenants")
        defer { bench.removeStore(path) }
        try FileManager.default.copyItem(atPath: base, toPath: path)
        // On disk before the drain starts: else the drain's first checkpoint (sync full) would
        // also write out the copy, hundreds of MB the drain did not write.
        let copy = open(path, O_RDONLY)
        if copy >= 0 {
            fsync(copy)
            close(copy)
        }
        let store = try SQLiteJobStore(.init(path: path, sync: .full))
        try await fill(store, count: jobs, progress: bench.progress) { "q-\($0 % queues)" }
        return try await drainRate(
            bench, store: store, executor: try await bench.plugins(), settings: settings, expected: jobs, what: "tenants: \(queues) queues")
    }

    /// A store holding only idle queues (one job each, due in a day), checkpointed into one file.
    /// Built once per bench process and copied for every case.
    static func idleStore(_ bench: Bench) async throws -> String {
        let path = bench.newStorePath("idle-base")
        do {
            let store = try SQLiteJobStore(.init(path: path, sync: .normal))
            try await fill(store, count: bench.sizes.idleQueues, progress: bench.progress, visibleAt: .now + .seconds(86_400)) { "idle-\($0)" }
        }
        // The store is released: fold its WAL into the main file so one file copy is the whole store.
        let queue = try DatabaseQueue(path: path, configuration: checkpointConfiguration)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        return path
    }
}
