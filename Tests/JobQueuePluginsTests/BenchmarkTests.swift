import Foundation
import JobQueue
import Testing

@testable import JobQueuePlugins

/// Cost of a batch through the fork server, and the server's memory. Opt-in, since timings are
/// meaningless in a debug build or on a busy machine:
///
///     JOBQUEUE_BENCHMARK=1 swift test -c release --scratch-path .build-host --filter BenchmarkTests
///
/// (after `swift build -c release --scratch-path .build-host`). Results are printed.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["JOBQUEUE_BENCHMARK"] == "1"), .serialized)
struct BenchmarkTests {
    private func residentKiB(_ pid: pid_t) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return Int(line.split(separator: " ")[1]) ?? -1
    }

    /// Median and mean of `rounds` timed runs of `body`, in microseconds.
    private func measure(rounds: Int, _ body: () async -> Void) async -> (median: Double, mean: Double) {
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<rounds {
            let elapsed = await clock.measure { await body() }
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        samples.sort()
        return (samples[samples.count / 2], samples.reduce(0, +) / Double(samples.count))
    }

    @Test func noopBatches() async throws {
        let executor = try await startExecutor([("noop", "NoopWorker", "{}")])
        let reports = ReportCollector()
        let one = leasedBatch([""], topic: "noop")
        let hundred = leasedBatch(Array(repeating: "", count: 100), topic: "noop")
        for _ in 0..<50 { await executor.run(one, report: reports.report) }  // warm up

        let single = await measure(rounds: 500) { await executor.run(one, report: reports.report) }
        let batch = await measure(rounds: 200) { await executor.run(hundred, report: reports.report) }
        let rss = try residentKiB(executor.server.pid)
        await executor.shutdown()

        print(
            """
            BENCHMARK NoopWorker through PluginExecutor (fork + run + report):
              batch of 1:   median \(Int(single.median)) µs, mean \(Int(single.mean)) µs
              batch of 100: median \(Int(batch.median)) µs, mean \(Int(batch.mean)) µs (\(Int(batch.median / 100)) µs/job)
              fork server RSS with NoopWorker: \(rss) KiB
            """)
        let expected = 50 + 500 + 200 * 100
        #expect(reports.reports.count == expected)
    }

    @Test func swiftPluginBatches() async throws {
        let executor = try await startExecutor([("trap", "TrapWorker", "{}")])
        let reports = ReportCollector()
        let one = leasedBatch(["{}"], topic: "trap")
        let hundred = leasedBatch(Array(repeating: "{}", count: 100), topic: "trap")
        for _ in 0..<50 { await executor.run(one, report: reports.report) }

        let single = await measure(rounds: 500) { await executor.run(one, report: reports.report) }
        let batch = await measure(rounds: 200) { await executor.run(hundred, report: reports.report) }
        let rss = try residentKiB(executor.server.pid)
        await executor.shutdown()

        print(
            """
            BENCHMARK TrapWorker (Swift SDK, JSON payload) through PluginExecutor:
              batch of 1:   median \(Int(single.median)) µs, mean \(Int(single.mean)) µs
              batch of 100: median \(Int(batch.median)) µs, mean \(Int(batch.mean)) µs (\(Int(batch.median / 100)) µs/job)
              fork server RSS with TrapWorker: \(rss) KiB
            """)
    }

    @Test func forkServerMemory() async throws {
        let server = try ForkServer(configuration: try BuildProducts.configuration())
        try await Task.sleep(for: .milliseconds(20))
        let empty = try residentKiB(server.pid)
        _ = try await server.load(plugins: [PluginSpec(topic: "noop", path: try BuildProducts.plugin("NoopWorker"))])
        let withC = try residentKiB(server.pid)
        _ = try await server.load(plugins: [
            PluginSpec(topic: "trap", path: try BuildProducts.plugin("TrapWorker")),
            PluginSpec(topic: "email", path: try BuildProducts.plugin("EmailWorker"), configJSON: "{\"outbox\": \"/tmp\"}"),
        ])
        let withSwift = try residentKiB(server.pid)
        await server.shutdown()
        print("BENCHMARK fork server RSS: empty \(empty) KiB, + NoopWorker \(withC) KiB, + TrapWorker & EmailWorker \(withSwift) KiB")
    }
}
