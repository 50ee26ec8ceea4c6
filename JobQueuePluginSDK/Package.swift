// swift-tools-version: 6.1
import PackageDescription

/// What a worker plugin builds against, and nothing else: the C ABI header (`CJobQueuePlugin`)
/// and the Swift SDK (`JobQueueSDK`). A plugin author depends on this package alone, so resolving
/// it fetches nothing; the JobQueue package builds its fork server and plugins against it too.
let package = Package(
    name: "JobQueuePluginSDK",
    products: [
        // What a Swift plugin depends on.
        .library(name: "JobQueueSDK", targets: ["JobQueueSDK"]),
        // The header alone, for a C plugin built with SwiftPM.
        .library(name: "CJobQueuePlugin", targets: ["CJobQueuePlugin"]),
    ],
    targets: [
        // jobqueue_plugin.h: the versioned C ABI between the host and worker plugins.
        .target(name: "CJobQueuePlugin"),
        // Swift plugins: conform to JobWorker, add one @_cdecl("jq_init") line. Never depends on the host.
        .target(name: "JobQueueSDK", dependencies: ["CJobQueuePlugin"]),
    ],
    swiftLanguageModes: [.v6]
)

// scripts/docs.sh builds the SDK's documentation (the plugin author's guide) with
// swift-docc-plugin, which it asks for with this variable: plugin authors never resolve it.
if Context.environment["JOBQUEUE_SDK_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
