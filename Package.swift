// swift-tools-version:6.1
import PackageDescription

// CI builds the project's own targets with warnings as errors (scripts/test sets the variable);
// dependencies keep their warnings. Everyday builds are unaffected.
let ownSettings: [SwiftSetting] =
    Context.environment["ALGA_WARNINGS_AS_ERRORS"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : []

let package = Package(
    name: "alga-release",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "alga-release", targets: ["alga-release"]),
        .executable(name: "appliance-status", targets: ["appliance-status"]),
        .library(name: "ReleaseModel", targets: ["ReleaseModel"]),
        .library(name: "RegistryCheck", targets: ["RegistryCheck"]),
        .library(name: "ManifestRender", targets: ["ManifestRender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The status server. No traits: swift-configuration support is not used, and it is a
        // large build on 2 cores.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Hummingbird's header and URI types (already in its graph), named for our extensions.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Hummingbird's own dependency, named for NIOHTTPTypes: the request and response parts a
        // channel handler of serve-bundle's sees (IdleConnections).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // gzip inflation with an output cap (zlib, streamed into ByteBuffers): the config bundle's
        // and the charts' .tar.gz, which this project would otherwise have to bind zlib for itself.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // JSON with source locations and a JSON Schema (2020-12 subset) validator, and the findings
        // and input errors made of them: the base of every precise "file:line: /pointer: expected X,
        // found Y" message.
        .target(name: "JSONDocument", dependencies: ["TextFormat"], swiftSettings: ownSettings),
        // Release manifests, channels, versions, the appliance model file (its loader and embedded
        // copy), the image inventory and the release linter.
        .target(name: "ReleaseModel", dependencies: ["ApplianceModel", "JSONDocument"], swiftSettings: ownSettings),
        // Text for people, shared by the check table, the status text and the status page: byte
        // sizes and aligned terminal tables. No domain rules, no Foundation.
        .target(name: "TextFormat", swiftSettings: ownSettings),
        // An HTTP exchange bounded as a whole: head and body before one deadline, body under a cap.
        .target(
            name: "BoundedHTTP",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: ownSettings
        ),
        // What the registry check decides, with no network: statuses, policies and verdicts, the
        // report formats, the registry's documents and words (challenges, media types, error codes,
        // manifests and indexes), the lock comparison, mirrors, credentials and where they may go.
        .target(
            name: "RegistryRules",
            dependencies: ["ApplianceModel", "ReleaseModel", "JSONDocument", "TextFormat", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: ownSettings
        ),
        // Copying images between registries (`alga-release mirror`): manifests byte for byte,
        // blobs streamed from the source's GET into the target's upload and verified as they pass,
        // through RegistryCheck's client (its challenge flow, tokens and retries).
        .target(
            name: "RegistryMirror",
            dependencies: [
                "RegistryCheck", "RegistryRules", "ReleaseModel", "BoundedHTTP", "TextFormat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        // `serve-bundle`: a bundle (an OCI image layout) as a read-only Distribution endpoint on
        // Hummingbird 2, for a node that pulls from the admin's laptop.
        .target(
            name: "BundleServe",
            dependencies: [
                "RegistryRules", "ReleaseModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        // The check over the network: the OCI Distribution v2 client over AsyncHTTPClient (the
        // challenge flow, tokens, retries, connection errors classified by type), the per-image
        // checker and `RegistryGate`, the one call the CLI makes.
        .target(
            name: "RegistryCheck",
            dependencies: [
                "RegistryRules", "ReleaseModel", "JSONDocument", "BoundedHTTP", "TextFormat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        // Archives from outside (.tar.gz of config bundles and charts) read within caps and written
        // only inside their folder.
        .target(
            name: "ArchiveRead",
            dependencies: [
                .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: ownSettings),
        // YAML from outside, read by Yams within a size proportional to the text (aliases counted
        // as expanded): the one way every module reads YAML.
        .target(name: "YAMLInput", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: ownSettings),
        // Templates to the Flux tree: substitution on parsed YAML, a deterministic emitter, the
        // manifest linter, drift checks and atomic writes.
        .target(
            name: "ManifestRender",
            dependencies: ["ApplianceModel", "JSONDocument", "ReleaseModel", "YAMLInput", .product(name: "Yams", package: "Yams")],
            swiftSettings: ownSettings
        ),
        // The install plan: the rendered tree built with kustomize, each HelmRelease's values
        // composed as helm-controller does and its chart rendered with Helm, every object and image
        // collected and judged against the model (PlanRules, pure); kustomize and Helm run as
        // external tools (ExternalTool).
        .target(
            name: "InstallPlan",
            dependencies: ["ApplianceModel", "ManifestRender", "ReleaseModel", "YAMLInput", .product(name: "Yams", package: "Yams")],
            swiftSettings: ownSettings
        ),
        // What the appliance is: its components, their tiers, namespaces, workloads and HelmReleases,
        // and the Flux objects the rules name. Values only; the status rules and readers derive from it.
        .target(name: "ApplianceModel", swiftSettings: ownSettings),
        // The status collector's pure core: typed Kubernetes objects and the status rules. No I/O.
        .target(name: "ApplianceStatus", dependencies: ["ApplianceModel", "TextFormat"], swiftSettings: ownSettings),
        // Reading the cluster: snapshot folders and the live API (read-only), within ObservationLimits.
        .target(
            name: "KubernetesRead",
            dependencies: [
                "ApplianceModel", "ApplianceStatus", "ReleaseModel", "JSONDocument", "BoundedHTTP", "YAMLInput",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: ownSettings
        ),
        // Access to the status page: the token file, constant-time comparison, session cookies,
        // the failed-attempt throttle and the bootstrap's Secret. No HTTP server in here.
        .target(
            name: "StatusAccess",
            dependencies: ["TextFormat", .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: ownSettings),
        // The status source options both executables take (--snapshot, --kubeconfig, --in-cluster,
        // --login-url, --lock, --model): one declaration and one validation.
        .target(
            name: "StatusOptions",
            dependencies: [
                "ApplianceModel", "JSONDocument", "KubernetesRead", "ReleaseModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: ownSettings
        ),
        // The appliance-status server: routes, authentication middleware, the single-flight
        // status cache and the HTML pages, over Hummingbird.
        .target(
            name: "StatusServer",
            dependencies: [
                "ApplianceModel", "ApplianceStatus", "KubernetesRead", "StatusAccess", "ReleaseModel", "TextFormat",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: ownSettings
        ),
        // Real registries and servers on loopback for tests, the demo and the benchmark: the
        // Distribution registry process, a token server, a fault-injecting server, a seeder.
        .target(
            name: "RegistryLab",
            dependencies: [
                "ReleaseModel", "RegistryRules", "RegistryCheck", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: ownSettings
        ),
        .executableTarget(
            name: "alga-release",
            dependencies: [
                "ApplianceModel", "JSONDocument", "ReleaseModel",
                "StatusAccess", "StatusOptions", "TextFormat",
                "RegistryCheck", "RegistryRules", "RegistryMirror", "BundleServe",
                "ManifestRender", "InstallPlan", "YAMLInput", "ArchiveRead",
                "ApplianceStatus",
                "KubernetesRead",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: ownSettings
        ),
        // The server that runs on the appliance (Containerfile): a thin command over StatusServer.
        .executableTarget(
            name: "appliance-status",
            dependencies: [
                "ApplianceModel", "JSONDocument", "StatusServer", "StatusAccess", "StatusOptions", "KubernetesRead", "ReleaseModel", "BoundedHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        // Fuzz targets for every parser the outside world feeds (scripts/fuzz); without libFuzzer it
        // replays inputs, so the seed corpus runs in an ordinary build. Not shipped.
        .executableTarget(
            name: "alga-fuzz",
            dependencies: [
                "JSONDocument", "ReleaseModel", "ApplianceStatus", "InstallPlan", "KubernetesRead", "RegistryCheck", "RegistryRules", "StatusAccess",
                "TestSupport", "YAMLInput", "ArchiveRead",
            ],
            swiftSettings: ownSettings
        ),
        // Seeds local registries for scripts/demo and scripts/bench-registry; not shipped.
        .executableTarget(
            name: "registry-lab",
            dependencies: [
                "RegistryLab", "ReleaseModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: ownSettings
        ),
        // Fixtures, scratch directories, the system tools suites need, the one subprocess runner and
        // the regular expressions the status rules' hand-written matchers are checked against,
        // shared by the test targets, RegistryLab and alga-fuzz.
        .target(name: "TestSupport", dependencies: ["ApplianceStatus"], path: "Tests/TestSupport", swiftSettings: ownSettings),
        .testTarget(name: "ReleaseModelTests", dependencies: ["ApplianceModel", "ReleaseModel", "JSONDocument", "TestSupport"], swiftSettings: ownSettings),
        .testTarget(
            name: "ApplianceStatusTests",
            dependencies: ["ApplianceModel", "ApplianceStatus", "JSONDocument", "KubernetesRead", "ReleaseModel", "TestSupport", "TextFormat"],
            swiftSettings: ownSettings),
        .testTarget(
            name: "KubernetesReadTests",
            dependencies: [
                "KubernetesRead", "ApplianceModel", "ApplianceStatus", "JSONDocument", "ReleaseModel", "TestSupport", "RegistryLab", "BoundedHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: ownSettings
        ),
        .testTarget(
            name: "InstallPlanTests",
            dependencies: [
                "ApplianceModel", "ArchiveRead", "InstallPlan", "ManifestRender", "ReleaseModel", "YAMLInput", .product(name: "Yams", package: "Yams"),
                .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        .testTarget(
            name: "ManifestRenderTests",
            dependencies: ["ApplianceModel", "ManifestRender", "ReleaseModel", "TestSupport", .product(name: "Yams", package: "Yams")],
            swiftSettings: ownSettings
        ),
        .testTarget(
            name: "RegistryCheckTests",
            dependencies: [
                "ApplianceModel", "JSONDocument", "RegistryCheck", "RegistryMirror", "RegistryRules", "RegistryLab", "ReleaseModel", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: ownSettings
        ),
        .testTarget(
            name: "StatusServerTests",
            dependencies: [
                "appliance-status", "StatusServer", "StatusAccess", "ApplianceModel", "ApplianceStatus", "KubernetesRead", "ReleaseModel", "RegistryLab",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: ownSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "alga-release", "ReleaseModel", "RegistryLab", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: ownSettings
        ),
    ]
)
