// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "JobQueue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobqueue", targets: ["jobqueue"]),
        .library(name: "JobQueue", targets: ["JobQueue"]),
        .library(name: "JobQueuePostgres", targets: ["JobQueuePostgres"]),
        .library(name: "JobQueueConfig", targets: ["JobQueueConfig"]),
        // The store contract as a suite a new backend runs against itself.
        .library(name: "JobQueueTestKit", targets: ["JobQueueTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The host's HTTP listener (`http:`) and its /metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The stores' timings, through the swift-metrics API (the host bootstraps Prometheus).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The plugin ABI and the Swift plugin SDK: a package of their own, so that a plugin
        // author resolves nothing else.
        .package(path: "JobQueuePluginSDK"),
        // `swift package generate-documentation` (scripts/docs.sh); no target depends on it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // The PostgreSQL store: many hosts on one database.
        .target(
            name: "JobQueuePostgres",
            dependencies: [
                "JobQueue",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // StoreConformance: the JobStore contract's checks, for every backend's tests.
        .target(name: "JobQueueTestKit", dependencies: ["JobQueue"]),

        // config.yaml: libyaml events → located nodes → typed settings, plain values only: it
        // describes the store and opens none, so it depends on no store backend.
        .target(name: "JobQueueConfig", dependencies: ["CYAML", "JobQueue"]),

        // The host runtime: HostService (a swift-service-lifecycle Service), plugin generations and
        // hot reload, file trust; and the one place a configured store is opened.
        .target(
            name: "JobQueueHost",
            dependencies: [
                "JobQueue", "JobQueuePostgres", "JobQueueConfig", "JobQueuePlugins",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // The producers' API document, served at /api/openapi.json from the binary itself.
            resources: [.embedInCode("API/openapi.json")]
        ),

        // The `jobqueue` command line.
        .executableTarget(
            name: "jobqueue",
            dependencies: [
                "JobQueue", "JobQueueConfig", "JobQueueHost", "JobQueuePlugins",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // `jobqueue-bench`: throughput and latency figures (always run a release build).
        .executableTarget(
            name: "jobqueue-bench",
            dependencies: [
                "JobQueue", "JobQueuePlugins",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/jobqueue-bench"
        ),

        .testTarget(
            name: "JobQueueTests",
            dependencies: ["JobQueue", "JobQueuePostgres", "JobQueueTestKit", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(name: "JobQueueConfigTests", dependencies: ["JobQueueConfig"]),
        .testTarget(name: "CLITests", dependencies: ["JobQueue"]),
        // Needs `swift build` first: the host runs the plugins built next to it.
        .testTarget(
            name: "JobQueueHostTests",
            dependencies: [
                "JobQueueHost", "JobQueueTestKit",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: - Worker plugins: the fork server, the host side, and plugins built against the SDK
// package (JobQueuePluginSDK/: the C ABI and the Swift SDK).
// Plugins/README.md explains how they fit together. `swift build` builds every plugin below into
// `.build/<debug|release>/lib<Name>.so`, next to the `jobqueue-forkserver` executable.

/// A worker plugin built from `Plugins/<path>`: a `.dynamic` library product of one target.
/// (A C plugin exports no headers; SwiftPM rejects the default `include` for a target whose
/// `path` is set, hence ".".)
func workerPlugin(_ name: String, path: String, swift: Bool = false) -> (Product, Target) {
    (
        .library(name: name, type: .dynamic, targets: [name]),
        .target(
            name: name, dependencies: [.product(name: swift ? "JobQueueSDK" : "CJobQueuePlugin", package: "JobQueuePluginSDK")],
            path: "Plugins/\(path)", publicHeadersPath: swift ? nil : ".")
    )
}

let workerPlugins = [
    // Examples.
    workerPlugin("NoopWorker", path: "NoopWorker"),
    workerPlugin("WordCountWorker", path: "WordCountWorker"),
    workerPlugin("EmailWorker", path: "EmailWorker", swift: true),
    // Test fixtures (JobQueuePluginsTests).
    workerPlugin("FaultWorker", path: "Fixtures/FaultWorker"),
    workerPlugin("TrapWorker", path: "Fixtures/TrapWorker", swift: true),
    workerPlugin("BadAbiWorker", path: "Fixtures/BadAbiWorker"),
    workerPlugin("NewerMinorWorker", path: "Fixtures/NewerMinorWorker"),
    workerPlugin("NoPerformWorker", path: "Fixtures/NoPerformWorker"),
    workerPlugin("InitFailWorker", path: "Fixtures/InitFailWorker"),
    workerPlugin("ChaosWorker", path: "Fixtures/ChaosWorker"),
    workerPlugin("SandboxProbeWorker", path: "Fixtures/SandboxProbeWorker"),
]

package.products += workerPlugins.map(\.0)

package.targets += [
    // The single-threaded C process that loads plugins once and forks a child per batch.
    .executableTarget(name: "jobqueue-forkserver", dependencies: [.product(name: "CJobQueuePlugin", package: "JobQueuePluginSDK")]),
    // The host's side: ForkServer, PluginExecutor, PluginChecker.
    .target(
        name: "JobQueuePlugins",
        dependencies: ["JobQueue", .product(name: "Logging", package: "swift-log")]
    ),
    // Needs `swift build` first: it runs the plugins and the fork server built next to it.
    .testTarget(name: "JobQueuePluginsTests", dependencies: ["JobQueuePlugins"]),
]
package.targets += workerPlugins.map(\.1)
