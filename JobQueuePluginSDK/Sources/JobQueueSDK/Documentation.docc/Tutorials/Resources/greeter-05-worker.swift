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
        .ok("\(greeting), \(payload.name)!")
    }
}
