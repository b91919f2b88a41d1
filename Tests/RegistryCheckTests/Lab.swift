import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import RegistryCheck
import RegistryLab
import RegistryRules
import ReleaseModel
import Testing

/// Real Distribution registries on loopback, all serving one seeded store: open, htpasswd (Basic)
/// and token auth (with our token server). Started once per test process.
final class Lab: Sendable {
    static let user = "alga-ci"
    static let password = "S3cret-Pa55word-9f2"
    static let privateRepository = "nine-minds/private-image"

    let trio: RegistryTrio
    let http: HTTPClient
    /// Digests of what was seeded, by `repository:tag`.
    let digests: [String: String]
    /// The amd64 compressed size of the index image alga-psa-ee:a2cbb430.
    let indexAMD64Size: Int

    var open: RegistryProcess { trio.open }
    var basic: RegistryProcess { trio.basic }
    var token: RegistryProcess { trio.token }
    var tokenServer: TokenServer { trio.tokenServer }

    static let shared = Task { try await Lab() }

    init() async throws {
        var options = TokenServer.Options()
        options.privateRepositories = [Self.privateRepository]
        options.tokenLifetime = 2
        options.advertisedLifetime = 300
        trio = try await RegistryTrio(user: Self.user, password: Self.password, tokenOptions: options)
        http = RegistryClient.makeHTTPClient(concurrency: 16)
        let seeder = RegistrySeeder(baseURL: trio.open.baseURL, http: http)
        var digests: [String: String] = [:]
        func seed(_ image: SeedImage, _ repository: String, _ tag: String) async throws {
            digests["\(repository):\(tag)"] = try await seeder.push(image, repository: repository, tag: tag)
        }
        try await seed(.index(platforms: ["linux/amd64", "linux/arm64"], layerSizes: [5000, 700]), "nine-minds/alga-psa-ee", "a2cbb430")
        try await seed(.single(platform: "linux/amd64", layerSizes: [1000, 234]), "nine-minds/email-service", "61e4a00e")
        try await seed(.single(platform: "linux/amd64"), "nine-minds/workflow-worker", "a2cbb430")
        try await seed(.single(platform: "linux/amd64", format: .docker), "nine-minds/temporal-worker", "a2cbb43")
        try await seed(.index(platforms: ["linux/amd64", "linux/arm64/v8"], format: .docker), "nine-minds/legacy-list", "1")
        try await seed(.index(platforms: ["linux/arm64"]), "nine-minds/arm-only", "1")
        try await seed(.single(platform: "linux/arm64"), "nine-minds/arm-single", "1")
        try await seed(.single(platform: "linux/amd64"), Self.privateRepository, "1")
        for i in 0..<12 { try await seed(.single(platform: "linux/amd64", layerSizes: [100]), "nine-minds/many", "t\(i)") }
        // A chart as `helm push` stores it (the later upstream's oci://ghcr.io/nine-minds/charts).
        try await seed(.helmChart(name: "sebastian", version: "0.0.1"), "nine-minds/charts/sebastian", "0.0.1")
        self.digests = digests
        // 5000 + 700 bytes of layers plus the config blob of the amd64 child.
        let configSize = try await Self.configSize(of: "nine-minds/alga-psa-ee", tag: "a2cbb430", base: trio.open.baseURL, http: http)
        indexAMD64Size = 5700 + configSize
    }

    /// The config size of `repository:tag`'s amd64 image, read with a literal Accept header and
    /// without force-unwraps: an expected value must not come from the code under test, and a bad
    /// fixture must fail one test, not crash the test process (#17).
    static func configSize(of repository: String, tag: String, base: String, http: HTTPClient) async throws -> Int {
        struct FixtureError: Error, CustomStringConvertible { var description: String }
        func get(_ path: String) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(
                name: "Accept",
                value:
                    "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
            )
            let response = try await http.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
                throw FixtureError(description: "\(path) is not a JSON object (HTTP \(response.status.code))")
            }
            return object
        }
        let index = try await get("/v2/\(repository)/manifests/\(tag)")
        guard let amd64 = (index["manifests"] as? [[String: Any]])?.first(where: { ($0["platform"] as? [String: Any])?["architecture"] as? String == "amd64" }),
            let digest = amd64["digest"] as? String
        else { throw FixtureError(description: "\(repository):\(tag) has no amd64 entry") }
        let child = try await get("/v2/\(repository)/manifests/\(digest)")
        guard let size = (child["config"] as? [String: Any])?["size"] as? Int else { throw FixtureError(description: "\(digest) has no config size") }
        return size
    }

    /// A checker whose every registry host is mirrored to `registry`.
    func checker(
        _ registry: String, credentials: CredentialStore = CredentialStore(), retry: RetryPolicy = RetryPolicy(maxAttempts: 3, initialDelay: 0.05),
        timeout: Double = 30, platform: Platform = .linuxAMD64
    ) throws -> ImageChecker {
        var mirrors = MirrorMap()
        try mirrors.add("ghcr.io=\(registry)", insecure: false)
        try mirrors.add("docker.io=\(registry)", insecure: false)
        let client = RegistryClient(
            http: http, credentials: credentials, retry: retry, deadline: .now() + .milliseconds(Int64(timeout * 1000)),
            logger: Logger(label: "test"))
        return ImageChecker(client: client, mirrors: mirrors, platform: platform)
    }
}

extension ImageReference {
    static func ghcr(_ repository: String, _ tag: String) -> ImageReference {
        ImageReference(registry: "ghcr.io", repository: repository, tag: tag)
    }
}

func credentials(user: String = Lab.user, password: String = Lab.password) -> CredentialStore {
    var store = CredentialStore()
    store.set(RegistryCredential(username: user, password: Secret(password), origin: "test"), for: "ghcr.io")
    return store
}
