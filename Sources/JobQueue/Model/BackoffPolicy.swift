/// Exponential backoff with jitter: `base × 2^(attempt−1)`, capped at `max`, then scaled by a
/// random factor in `1 ± jitter`.
public struct BackoffPolicy: Sendable, Equatable {
    /// The delay after the first failed run.
    public var base: Duration
    /// The longest delay, before jitter.
    public var max: Duration
    /// Fraction of the delay, 0 ≤ jitter ≤ 1.
    public var jitter: Double

    public init(base: Duration = .seconds(1), max: Duration = .seconds(3600), jitter: Double = 0.1) {
        self.base = base
        self.max = max
        self.jitter = jitter
    }

    /// 1 s, doubling up to 1 h, ±10 %.
    public static let `default` = BackoffPolicy()

    /// The delay before the run that follows failed run number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, random: Double = Double.random(in: -1...1)) -> Duration {
        let exponent = Swift.min(Swift.max(attempt - 1, 0), 62)
        let baseMs = Double(base.milliseconds)
        let raw = Swift.min(baseMs * Double(sign: .plus, exponent: exponent, significand: 1), Double(max.milliseconds))
        let jittered = raw * (1 + jitter * random)
        return .milliseconds(Int64(Swift.max(jittered, 0).rounded()))
    }
}
