// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Greeter",
    products: [
        .library(name: "Greeter", type: .dynamic, targets: ["Greeter"])
    ],
    dependencies: [
        .package(path: "../jobqueue/JobQueuePluginSDK")
    ],
    targets: [
        .target(name: "Greeter", dependencies: [.product(name: "JobQueueSDK", package: "JobQueuePluginSDK")])
    ]
)
