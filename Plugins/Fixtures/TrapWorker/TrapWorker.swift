import JobQueueSDK

/// Test fixture for the Swift SDK: `{"trap": true}` hits `fatalError` (a Swift trap, which kills
/// the child with SIGILL); `{"throw": "why"}` throws; `{"snooze_ms": 250}` snoozes;
/// `{"progress": 60}` reports 60% ("from Swift") through the SDK, then succeeds; anything
/// else that decodes succeeds with result "survived". An undecodable payload is discarded by the
/// SDK.
struct TrapWorker: JobWorker {
    struct Payload: Decodable {
        var trap: Bool?
        var `throw`: String?
        // Spelled as the JSON key.
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var snooze_ms: UInt64?
        var progress: Int?
    }

    struct Thrown: Error, CustomStringConvertible {
        var description: String
    }

    init(configJSON: String) throws {}

    func perform(_ payload: Payload, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult {
        if payload.trap == true { fatalError("TrapWorker was asked to trap (job \(meta.itemID))") }
        if let message = payload.throw { throw Thrown(description: message) }
        if let milliseconds = payload.snooze_ms { return .snooze(milliseconds: milliseconds) }
        if let percent = payload.progress { context.progress(percent, "from Swift") }
        context.log("survived job \(meta.itemID)", level: .debug)
        return .ok("survived")
    }
}

/// The plugin's one line.
@_cdecl("jq_init")
public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
    JobQueueSDK.install(TrapWorker.self, config, error, size)
}
