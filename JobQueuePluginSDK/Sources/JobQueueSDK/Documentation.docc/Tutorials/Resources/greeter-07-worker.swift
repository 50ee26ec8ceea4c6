import JobQueueSDK

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Greets the person a job names: `{"name": "Ada"}` becomes "Hello, Ada!".
struct Greeter: JobWorker {
    struct Config: Decodable {
        var greeting: String
    }

    struct Payload: Decodable {
        var name: String
    }

    let greeting: String

    init(configJSON: String) throws {
        let config = try JSONDecoder().decode(Config.self, from: Data(configJSON.utf8))
        greeting = config.greeting
    }

    func perform(_ payload: Payload, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult {
        guard !payload.name.isEmpty else { return .discard("no name") }
        context.log("greeting \(payload.name), attempt \(meta.attempt)")
        return .ok("\(greeting), \(payload.name)!")
    }
}

/// The plugin's one line of glue: the host calls `jq_init` once when it loads the plugin.
@_cdecl("jq_init")
public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
    JobQueueSDK.install(Greeter.self, config, error, size)
}
