// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Greeter",
    products: [
        .library(name: "Greeter", type: .dynamic, targets: ["Greeter"])
    ],
    targets: [
        .target(name: "Greeter")
    ]
)
