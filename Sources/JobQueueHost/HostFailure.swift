/// The host stopped by itself after it had started, because it could no longer work safely (its
/// store became unusable): `jobqueue run` exits with status 70 (EX_SOFTWARE), so that a service
/// manager can tell it from a refusal to start (status 1).
public struct HostFailure: Error, CustomStringConvertible {
    public let underlying: any Error

    public var description: String { "the host stopped: \(underlying)" }

    public static let exitStatus: Int32 = 70
}
