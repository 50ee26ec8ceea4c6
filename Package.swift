// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "JobQueue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobqueue", targets: ["jobqueue"]),
        .library(name: "JobQueue", targets: ["JobQueue"]),
        .library(name: "JobQueueConfig", targets: ["JobQueueConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // libyaml from Debian's libyaml-dev.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        // The engine: data model, store protocol, SQLite store, pipeline, in-process executor.
        .target(
            name: "JobQueue",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // config.yaml: libyaml events → located nodes → typed settings.
        .target(name: "JobQueueConfig", dependencies: ["CYAML", "JobQueue"]),

        // The `jobqueue` command line.
        .executableTarget(
            name: "jobqueue",
            dependencies: [
                "JobQueue", "JobQueueConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // `jobqueue-bench`: throughput and latency figures (always run a release build).
        .executableTarget(
            name: "jobqueue-bench",
            dependencies: ["JobQueue", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/jobqueue-bench"
        ),

        .testTarget(name: "JobQueueTests", dependencies: ["JobQueue"]),
        .testTarget(name: "JobQueueConfigTests", dependencies: ["JobQueueConfig"]),
        .testTarget(name: "CLITests", dependencies: ["JobQueue"]),
    ],
    swiftLanguageModes: [.v6]
)
