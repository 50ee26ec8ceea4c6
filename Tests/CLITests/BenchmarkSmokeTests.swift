import Foundation
import Testing

extension ProcessTests {
    /// CI's check of the benchmark harness: runs `jobqueue-bench --smoke --json` (built next to the
    /// tests by `swift build`) and checks that every scenario ran, every job it enqueued was processed
    /// and every figure is a positive number. It never checks a timing: a debug build on a shared
    /// machine measures nothing worth asserting. Skipped when the binary is not there.
    @Suite(.serialized)
    struct BenchmarkSmokeTests {
        static var binary: String? {
            let folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let path = folder.appendingPathComponent("jobqueue-bench").path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }

        @Test(.enabled(if: binary != nil), .timeLimit(.minutes(1)))
        func smokeRunProcessesEveryJobAndReportsPositiveFigures() async throws {
            let binary = try #require(Self.binary)
            // Waited for off the cooperative pool, as every blocking wait of these tests (CLI.swift).
            let (status, stdout, stderr) = try await offThePool { Result { try Self.runSmoke(binary) } }.get()
            #expect(status == 0, "jobqueue-bench --smoke failed:\n\(stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any], "no JSON on stdout:\n\(stderr)")
            #expect(report["size"] as? String == "smoke")
            #expect(report["allJobsProcessed"] as? Bool == true)
            #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")

            let rows = try #require(report["rows"] as? [[String: Any]])
            let scenarios = Set(rows.compactMap { $0["scenario"] as? String })
            #expect(scenarios == ["limits", "enqueue", "e2e", "timed", "latency", "tenants", "fairness", "memory", "fractions"])
            for row in rows {
                let key = row["key"] as? String ?? "?"
                let value = try #require(row["value"] as? Double, "\(key) has no numeric value")
                // Counts may be zero; every rate, latency, size and ratio must be a positive number.
                if row["unit"] as? String == "jobs" {
                    #expect(value >= 0, "\(key) = \(value)")
                } else {
                    #expect(value.isFinite && value > 0, "\(key) = \(value)")
                }
                if let expected = row["expected"] as? Int {
                    #expect(row["processed"] as? Int == expected, "\(key): processed \(row["processed"] ?? "none") of \(expected)")
                }
            }
            // The figures the targets are about are all there (their values are not judged here).
            let keys = Set(rows.compactMap { $0["key"] as? String })
            for key in [
                "e2e.plugin.best", "e2e.plugin.b10.c4", "enqueue.batched.best.full", "enqueue.single.p1.full",
                "latency.producer.plugin.p50", "latency.producer.plugin.p99", "tenants.ratio.q100", "tenants.idlecost",
                "fairness.burst.p99", "memory.host.peak", "memory.forkserver.peak", "memory.store.bytesPerJob",
                "limits.fsync", "limits.raw.batched.full", "timed.ms200.utilisation", "timed.mix.utilisation",
                "timed.case.one", "timed.case.spread", "timed.case.both", "timed.busy.latency.p99",
            ] {
                #expect(keys.contains(key), "missing \(key)")
            }
        }

        /// Runs `jobqueue-bench --smoke --json`; returns its exit status, standard output and the
        /// progress it wrote on standard error.
        private static func runSmoke(_ binary: String) throws -> (Int32, Data, String) {
            let progressFile = FileManager.default.temporaryDirectory.appendingPathComponent("jobqueue-bench-smoke-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: progressFile.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: progressFile) }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--smoke", "--json"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = try FileHandle(forWritingTo: progressFile)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            // A hung harness must fail the test, not hang CI.
            let watchdog = DispatchWorkItem { process.terminate() }
            DispatchQueue.global().asyncAfter(deadline: .now() + 50, execute: watchdog)
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            watchdog.cancel()
            return (process.terminationStatus, stdout, (try? String(contentsOf: progressFile, encoding: .utf8)) ?? "")
        }
    }
}
