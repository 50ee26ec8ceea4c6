/// A worker plugin written in Swift.
///
/// Conform a type, build it as a `.dynamic` library product that depends on `JobQueueSDK`, and add
/// the one line that exports it (the host calls `jq_init` once when it loads the plugin):
///
/// ```swift
/// @_cdecl("jq_init")
/// public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
///     JobQueueSDK.install(EmailWorker.self, config, error, size)
/// }
/// ```
///
/// The SDK itself exports `jq_abi_version` and `jq_perform`. Each plugin links its own copy of the
/// SDK and the host opens plugins with `RTLD_LOCAL`, so several Swift plugins never see each
/// other's worker.
///
/// The worker is created once, in the fork server, before the process forks; each batch then runs
/// in a forked copy. So `init` is the place for parsing configuration and expensive setup, but not
/// for opening files, sockets or threads (see `jobqueue_plugin.h`).
public protocol JobWorker {
    /// What the payload bytes decode to. JSON by default; see ``decodePayload(_:)``.
    associatedtype Payload: Decodable

    /// Creates the worker from its topic's configuration (a JSON text, `"{}"` when none is
    /// configured). A thrown error refuses the plugin, with the error's description as reason.
    init(configJSON: String) throws

    /// Runs one job. A thrown error becomes ``JobResult/error(_:)`` with the error's description.
    func perform(_ payload: Payload, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult

    /// Turns payload bytes into a ``Payload``. A thrown error discards the job (retrying cannot
    /// make bad bytes good). The default decodes JSON; `String` and `[UInt8]` payloads get the
    /// raw text and bytes. The SDK also calls it once with `{}` when the plugin loads, to warm up
    /// decoding before the fork server starts forking (that halves a Swift batch's cost).
    static func decodePayload(_ bytes: [UInt8]) throws -> Payload
}
