/// Installs `Worker` as this plugin's worker: the body of the plugin's `jq_init` export.
///
/// Creates the worker from `config` (the topic's configuration as JSON, `"{}"` when `nil`). If its
/// initializer throws, writes the error's description into `error` (at most `errorSize` bytes,
/// NUL included) and returns 1, and the host refuses the plugin; otherwise returns 0.
///
/// ```swift
/// @_cdecl("jq_init")
/// public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
///     JobQueueSDK.install(EmailWorker.self, config, error, size)
/// }
/// ```
public func install<Worker: JobWorker>(
    _ worker: Worker.Type,
    _ config: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<CChar>?,
    _ errorSize: Int
) -> Int32 {
    let json = config.map { String(cString: $0) } ?? "{}"
    do {
        InstalledWorker.current = InstalledWorker(try Worker(configJSON: json))
        // Warm up payload decoding here, once, in the process that forks: type metadata and
        // decoder set-up built now are inherited by every batch's child instead of being
        // rebuilt (and thrown away) in each one. The result does not matter.
        _ = try? Worker.decodePayload(Array("{}".utf8))
        return 0
    } catch let failure {
        if let error, errorSize > 0 {
            let message = Array(String(describing: failure).utf8.prefix(errorSize - 1))
            for (index, byte) in message.enumerated() { error[index] = CChar(bitPattern: byte) }
            error[message.count] = 0
        }
        return 1
    }
}
