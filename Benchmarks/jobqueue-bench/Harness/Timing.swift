#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds: one clock for every process on the machine, so a time taken in
/// the producer process can be compared with one taken in the host.
enum Monotonic {
    static func nanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Seconds since `start` (a `nanos()` value).
    static func seconds(since start: UInt64) -> Double {
        Double(nanos() &- start) / 1e9
    }
}

/// Runs `body` and returns `count / seconds`.
func rate(_ count: Int, _ body: () async throws -> Void) async rethrows -> Double {
    let start = Monotonic.nanos()
    try await body()
    return Double(count) / Monotonic.seconds(since: start)
}

/// Latency samples in milliseconds, with nearest-rank percentiles: the p-th percentile is the
/// smallest sample that at least p% of the samples do not exceed (so p100 is the maximum, and no
/// value is ever interpolated between two samples).
struct Latencies: Sendable {
    private(set) var sorted: [Double]

    init(milliseconds samples: [Double]) {
        sorted = samples.sorted()
    }

    var count: Int { sorted.count }

    func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var max: Double { sorted.last ?? .nan }
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
