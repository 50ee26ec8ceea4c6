import Foundation
import GRDB
import JobQueue

/// Memory: the real `jobqueue run` host (the binary, with its fork server and the C NoopWorker)
/// working on a store that holds 1,000,000 ready jobs in 1,000 queues. We read the peak resident
/// set (VmHWM) of the host process and of its fork server from /proc just before stopping it,
/// and the store's size per queued job (WAL folded in).
enum MemoryScenario {
    static func run(_ bench: Bench) async throws -> [Row] {
        let sizes = bench.sizes
        let jobs = sizes.memoryJobs
        let path = bench.newStorePath("memory")
        defer { bench.removeStore(path) }

        bench.progress.step("memory: enqueueing \(format(Double(jobs), decimals: 0)) jobs")
        do {
            let store = try SQLiteJobStore(.init(path: path, sync: .normal))
            try await fill(store, count: jobs, progress: bench.progress) { "m-\($0 % 1000)" }
        }
        let queue = try DatabaseQueue(path: path, configuration: checkpointConfiguration)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let bytes = fileSize(path) + fileSize(path + "-wal")
        var rows = [
            Row(
                .memory, "memory.store.bytesPerJob", "store size per queued job", Double(bytes) / Double(jobs), "bytes",
                note: "\(format(Double(bytes) / 1_048_576, decimals: 0)) MiB for \(format(Double(jobs), decimals: 0)) jobs")
        ]

        bench.progress.step(
            "memory: `jobqueue run` on \(format(Double(jobs), decimals: 0)) queued jobs for \(format(sizes.memorySeconds, decimals: 1)) s")
        guard FileManager.default.isExecutableFile(atPath: bench.jobqueueBinary) else {
            bench.problem("memory: \(bench.jobqueueBinary) is missing (build the jobqueue product)")
            return rows
        }
        let config = bench.folder + "/memory.yaml"
        try """
        store: { path: "\(path)", sync: full }
        log: { level: warning }
        topics:
          noop: { plugin: "\(bench.noopPlugin)" }

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let host = Process()
        host.executableURL = URL(fileURLWithPath: bench.jobqueueBinary)
        host.arguments = ["run", "--config", config]
        host.standardOutput = FileHandle.nullDevice
        host.standardError = FileHandle.nullDevice
        try host.run()

        var forkServer: pid_t?
        var hostPeak = 0
        var serverPeak = 0
        // The measured run starts once the host has its fork server (it has started serving), so
        // that a slow start on a busy machine does not eat the run.
        let startBy = Monotonic.nanos() + 30_000_000_000
        while forkServer == nil && Monotonic.nanos() < startBy && host.isRunning {
            try await Task.sleep(for: .milliseconds(10))
            forkServer = ProcFS.children(of: host.processIdentifier).first { $0.name.hasPrefix("jobqueue-fork") }?.pid
        }
        let end = Monotonic.nanos() + UInt64(sizes.memorySeconds * 1e9)
        while Monotonic.nanos() < end && host.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            hostPeak = max(hostPeak, ProcFS.statusKiB(host.processIdentifier, "VmHWM") ?? 0)
            if let forkServer { serverPeak = max(serverPeak, ProcFS.statusKiB(forkServer, "VmHWM") ?? 0) }
        }
        let wasRunning = host.isRunning
        host.terminate()  // SIGTERM: a graceful stop
        await host.exited()
        if !wasRunning { bench.problem("memory: `jobqueue run` exited early (status \(host.terminationStatus))") }
        if forkServer == nil { bench.problem("memory: could not find the fork server of `jobqueue run`") }

        let left = try await SQLiteJobStore(.init(path: path, sync: .normal)).status(now: .now).queues.reduce(0) {
            $0 + $1.ready + $1.leased + $1.scheduled
        }
        let processed = jobs - left
        if processed <= 0 { bench.problem("memory: `jobqueue run` processed no job") }
        rows.append(
            Row(
                .memory, "memory.host.peak", "`jobqueue run` host: peak RSS", Double(hostPeak) / 1024, "MiB",
                note: "\(format(Double(left), decimals: 0)) jobs still queued after it ran \(format(Double(processed), decimals: 0))"))
        rows.append(Row(.memory, "memory.forkserver.peak", "its fork server: peak RSS", Double(serverPeak) / 1024, "MiB"))
        return rows
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
