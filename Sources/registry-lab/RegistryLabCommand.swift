import ArgumentParser
import AsyncHTTPClient
import Foundation
import RegistryLab
import ReleaseModel

/// Development tool behind scripts/demo and scripts/bench-registry: seeds a local registry with
/// generated images. Not part of what ships.
@main
struct RegistryLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry-lab",
        abstract: "Seed a local Distribution registry with generated images (demo and benchmark helper).",
        subcommands: [SeedRelease.self, SeedBench.self, ServeToken.self, ServeKubeAPI.self, FreePort.self])
}

struct SeedRelease: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-release", abstract: "Push a small image for every reference of a release (paths kept, hosts dropped).")

    @Argument(help: "A version under --releases-dir, channel:NAME, or a path.")
    var release: String

    @Option(name: .customLong("releases-dir")) var releasesDirectory = "releases"
    @Option(help: "Base URL of the registry, e.g. http://127.0.0.1:5000.") var registry: String
    @Option(help: "Inventory key to leave out (repeatable), e.g. workflowWorker.") var skip: [String] = []
    @Option(help: "Inventory key to push as a multi-platform index (repeatable).") var index: [String] = []
    @Option(help: "Also push REPOSITORY:TAG as a decoy tag (repeatable).") var extra: [String] = []
    @Option(help: "KEY=SIZE[,SIZE...]: that image's layer sizes, in bytes or with K/M (repeatable), e.g. algaCore=40M,8M.") var layers: [String] = []

    /// `KEY=SIZE,...` with K and M meaning 1000 and 1000000, as registries count.
    static func sizes(_ items: [String]) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--layers takes KEY=SIZE[,SIZE...], not \(item)") }
            out[parts[0]] = try parts[1].split(separator: ",").map { text in
                let unit = text.last == "M" ? 1_000_000 : text.last == "K" ? 1000 : 1
                guard let number = Int(unit == 1 ? text : text.dropLast()), number > 0, case let (size, false) = number.multipliedReportingOverflow(by: unit)
                else { throw ValidationError("--layers: \(text) is not a size") }
                return size
            }
        }
        return out
    }

    func run() async throws {
        let layerSizes = try Self.sizes(layers)
        let report = try ReleaseValidator.validate(release, releasesDirectory: releasesDirectory)
        guard let images = report.images else { throw ValidationError("release \(release) is not valid") }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let seeder = RegistrySeeder(baseURL: registry, http: http)
            let pushed = try await seeder.seedRelease(images, skipping: Set(skip), indexKeys: Set(index), layers: layerSizes)
            for item in extra {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                try await seeder.push(.single(platform: "linux/amd64"), repository: parts[0], tag: parts.count > 1 ? parts[1] : "latest")
            }
            FileHandle.standardError.write(
                Data(
                    "pushed \(pushed.count) images of \(report.release) to \(registry)\(skip.isEmpty ? "" : " (left out: \(skip.joined(separator: ", ")))")\n"
                        .utf8))
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}

struct SeedBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-bench", abstract: "Push N tags over M repositories and print their references, one per line.")

    @Option(help: "Base URL of the registry.") var registry: String
    @Option(help: "Registry host to put in the printed references.") var host = "ghcr.io"
    @Option var repositories = 10
    @Option var images = 50

    func run() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var refs: [String] = []
        do {
            let seeder = RegistrySeeder(baseURL: registry, http: http)
            for i in 0..<images {
                let repository = "nine-minds/bench-\(i % repositories)"
                let tag = "b\(String(format: "%03d", i))"
                // Every fifth image is a multi-platform index, as buildx pushes them.
                let image: SeedImage =
                    i % 5 == 0 ? .index(platforms: ["linux/amd64", "linux/arm64"], layerSizes: [2048]) : .single(platform: "linux/amd64", layerSizes: [2048])
                try await seeder.push(image, repository: repository, tag: tag)
                refs.append("\(host)/\(repository):\(tag)")
            }
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
        print(refs.joined(separator: "\n"))
    }
}

struct FreePort: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "free-port", abstract: "Print a free TCP port on 127.0.0.1.")
    func run() throws { print(try RegistryProcess.freePort()) }
}

struct ServeToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-token",
        abstract: "Run a registry with token auth (and our token server) over STORAGE until stopped; write their ports to --ports-file.")

    @Option(help: "The registry storage directory (seed it through an open registry on the same directory).") var storage: String
    @Option(name: .customLong("realm"), help: "The token realm the registry announces (e.g. a proxy in front of the token server).") var realm: String?
    @Option(name: .customLong("ports-file"), help: "Written once ready: 'REGISTRY_PORT TOKEN_PORT'.") var portsFile: String

    func run() async throws {
        let identityDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: identityDirectory, withIntermediateDirectories: true)
        let identity = try SigningIdentity.make(in: identityDirectory)
        let options = TokenServer.Options()
        let tokens = try await TokenServer(options: options, keyPEM: identity.keyPEM, certificateDER: identity.certificateDER)
        let registry = try await RegistryProcess(
            storage: URL(fileURLWithPath: storage),
            auth: .token(realm: realm ?? tokens.realm, service: options.service, issuer: options.issuer, rootCertificatePath: identity.certificatePath))
        try "\(registry.port) \(tokens.server.port)\n".write(toFile: portsFile, atomically: true, encoding: .utf8)
        // Serve until killed; the registry's watcher stops it when this process is gone.
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}

struct ServeKubeAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-kube-api",
        abstract: "Serve a recorded cluster over HTTPS (token auth) until stopped; write a kubeconfig for --public-url and the port.")

    @Option(help: "A scenario folder of recorded lists (Tests/Fixtures/k8s/<scenario>).") var scenario: String
    @Option(name: .customLong("public-url"), help: "The server URL the kubeconfig names (e.g. a delaying proxy in front); default: this server.") var publicURL:
        String?
    @Option(help: "Directory for the PKI, the kubeconfig (kubeconfig) and the port file (port).") var directory: String

    func run() async throws {
        let pki = try TestPKI()
        let token = "bench-token-\(UUID().uuidString.prefix(8))"
        let server = try await FakeKubeAPI.start(
            scenario: URL(fileURLWithPath: scenario), tls: try pki.serverTLS(requireClientCertificate: false), token: token)
        let kubeconfig = try pki.kubeconfig(server: publicURL ?? server.baseURL, token: token, clientCertificate: false)
        try FileManager.default.copyItem(atPath: kubeconfig, toPath: (directory as NSString).appendingPathComponent("kubeconfig"))
        try "\(server.port)\n".write(toFile: (directory as NSString).appendingPathComponent("port"), atomically: true, encoding: .utf8)
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
