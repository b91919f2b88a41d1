// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "alga-release",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "alga-release", targets: ["alga-release"]),
        .library(name: "ReleaseModel", targets: ["ReleaseModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // JSON with source locations and a JSON Schema (2020-12 subset) validator: the base of every
        // precise "file:line: /pointer: expected X, found Y" message.
        .target(name: "JSONDocument"),
        // Release manifests, channels, versions, the image inventory and the release linter.
        .target(name: "ReleaseModel", dependencies: ["JSONDocument"]),
        .executableTarget(
            name: "alga-release",
            dependencies: [
                "ReleaseModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ReleaseModelTests", dependencies: ["ReleaseModel", "JSONDocument"]),
        .testTarget(name: "CLITests", dependencies: ["alga-release", "ReleaseModel"]),
    ]
)
