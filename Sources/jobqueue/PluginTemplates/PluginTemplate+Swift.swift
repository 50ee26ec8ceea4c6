import Foundation

extension PluginTemplate {
    /// How the manifest names the SDK package: SwiftPM knows a local package by its folder's name.
    private var sdkPackage: String { (sdk as NSString).lastPathComponent }

    var swiftPackage: String {
        """
        // swift-tools-version: 6.1
        import PackageDescription

        let package = Package(
            name: "\(name)",
            products: [
                .library(name: "\(name)", type: .dynamic, targets: ["\(name)"])
            ],
            dependencies: [
                .package(path: "\(sdk)")
            ],
            targets: [
                .target(name: "\(name)", dependencies: [.product(name: "JobQueueSDK", package: "\(sdkPackage)")])
            ]
        )

        """
    }

    var swiftSource: String {
        """
        import JobQueueSDK

        #if canImport(FoundationEssentials)
        import FoundationEssentials
        #else
        import Foundation
        #endif

        /// Greets the person a job names: `{"name": "Ada"}` becomes "Hello, Ada!".
        struct \(name): JobWorker {
            struct Config: Decodable {
                var greeting: String?
            }

            struct Payload: Decodable {
                var name: String
            }

            let greeting: String

            init(configJSON: String) throws {
                greeting = try JSONDecoder().decode(Config.self, from: Data(configJSON.utf8)).greeting ?? "Hello"
            }

            func perform(_ payload: Payload, _ meta: JobMetadata, _ context: JobContext) throws -> JobResult {
                guard !payload.name.isEmpty else { return .discard("no name") }
                return .ok("\\(greeting), \\(payload.name)!")
            }
        }

        /// The plugin's one line of glue: the host calls `jq_init` once when it loads the plugin.
        @_cdecl("jq_init")
        public func jqInit(_ config: UnsafePointer<CChar>?, _ error: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int32 {
            JobQueueSDK.install(\(name).self, config, error, size)
        }

        """
    }
}
