/// The host stopped by itself after it had started, because it could no longer work safely (its
/// store became unusable): `jobqueue run` exits with status 70 (EX_SOFTWARE), so that a service
/// manager can tell it from a refusal to start (status 1).
struct HostFailure: Error, CustomStringConvertible {
    let underlying: any Error

    var description: String { "the host stopped: \(underlying)" }

    static let exitStatus: Int32 = 70
}
