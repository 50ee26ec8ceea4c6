import JobQueueSDK

/// Greets the person a job names: `{"name": "Ada"}` becomes "Hello, Ada!".
struct Greeter: JobWorker {
    struct Payload: Decodable {
        var name: String
    }

    init(configJSON: String) throws {}

    func perform(_ payload: Payload, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult {
        .ok("Hello, \(payload.name)!")
    }
}
