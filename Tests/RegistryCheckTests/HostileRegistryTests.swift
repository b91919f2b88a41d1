import Foundation
import Logging
import NIOCore
import RegistryCheck
import RegistryLab
import RegistryRules
import ReleaseModel
import TestSupport
import Testing

/// A registry that lies, drips and echoes, scripted per test on loopback: each test here failed on
/// the code before the hardening issue (#10) and passes after.
struct HostileRegistry {
    let server: LoopbackHTTPServer
    static let config = Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
    static var configDigest: String { RegistrySeeder.digest(config) }

    /// An OCI image manifest whose config is `config` and whose layers have these sizes.
    static func manifest(layerSizes: [String]) -> [UInt8] {
        let layers = layerSizes.enumerated().map { i, size in
            #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\#(String(repeating: String(i % 10), count: 64))","size":\#(size)}"#
        }
        return Array(
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[\#(layers.joined(separator: ","))]}"#
                .utf8)
    }

    static let manifestType = [("Content-Type", "application/vnd.oci.image.manifest.v1+json")]

    /// Manifests from `manifests`, the config blob, everything else 404 with MANIFEST_UNKNOWN.
    init(handler: @escaping LoopbackHTTPServer.Handler) async throws {
        server = try await LoopbackHTTPServer(handler: handler)
    }

    func check(
        _ reference: String, timeout: Double = 20, requestTimeout: Double = 10, credentials: CredentialStore = CredentialStore(), insecure: Bool = false,
        minimumRetryAfter: Double = 0.05
    ) async throws -> CheckResult {
        var mirrors = MirrorMap()
        try mirrors.add("ghcr.io=\(server.baseURL)", insecure: false)
        let client = RegistryClient(
            http: RegistryClient.makeHTTPClient(concurrency: 4), credentials: credentials,
            retry: RetryPolicy(maxAttempts: 3, initialDelay: 0.05, maximumDelay: 2, minimumRetryAfter: minimumRetryAfter, requestTimeout: requestTimeout),
            deadline: .now() + .milliseconds(Int64(timeout * 1000)), logger: Logger(label: "hostile"), insecure: insecure)
        let result = await ImageChecker(client: client, mirrors: mirrors, platform: .linuxAMD64).check(try ImageReference(parsing: reference))
        try await client.shutdown()
        return result
    }

    /// Serves `manifest` for every manifest request (with or without a digest header) and the config blob.
    static func serving(_ manifest: [UInt8], digestHeader: String? = nil) -> LoopbackHTTPServer.Handler {
        { request in
            if request.path.contains("/blobs/") { return .respond(status: 200, body: config) }
            return .respond(status: 200, headers: manifestType + (digestHeader.map { [("Docker-Content-Digest", $0)] } ?? []), body: manifest)
        }
    }
}

@Suite struct HostileRegistryTests {
    // #10.2: sizes are the registry's numbers.
    @Test(arguments: [["9223372036854775000", "9223372036854775000"], ["-4999999914"], ["1e30"], ["1.5"]])
    func sizesThatCannotBeTrueAreUnusable(sizes: [String]) async throws {
        let manifest = HostileRegistry.manifest(layerSizes: sizes)
        let registry = try await HostileRegistry(handler: HostileRegistry.serving(manifest, digestHeader: RegistrySeeder.digest(manifest)))
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(result.detail)")
        #expect(result.compressedSize == nil)
        #expect(!result.detail.contains("-4999999914 B"))
    }

    @Test func plausibleSizesStillAddUp() async throws {
        let manifest = HostileRegistry.manifest(layerSizes: ["1000", "2000"])
        let registry = try await HostileRegistry(handler: HostileRegistry.serving(manifest))
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .present, "\(result.detail)")
        #expect(result.compressedSize == HostileRegistry.config.count + 3000)
    }

    // #10.3: a pinned reference is present only if the served bytes hash to the pin.
    @Test(arguments: [false, true])
    func aPinnedReferenceIsPresentOnlyIfTheBytesAreThePin(getCarriesItsOwnDigest: Bool) async throws {
        let served = HostileRegistry.manifest(layerSizes: ["1000"])
        let pin = "sha256:" + String(repeating: "ab", count: 32)
        let registry = try await HostileRegistry { request in
            if request.path.contains("/blobs/") { return .respond(status: 200, body: HostileRegistry.config) }
            // HEAD carries no digest; the GET may carry one that matches its own (wrong) bytes.
            let digest = getCarriesItsOwnDigest && request.method == "GET" ? [("Docker-Content-Digest", RegistrySeeder.digest(served))] : []
            return .respond(status: 200, headers: HostileRegistry.manifestType + digest, body: served)
        }
        let result = try await registry.check("ghcr.io/a/b@\(pin)")
        let right = try await registry.check("ghcr.io/a/b@\(RegistrySeeder.digest(served))")
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(result.detail)")
        #expect(result.detail.contains(pin))
        #expect(right.status == .present, "\(right.detail)")
    }

    /// A registry whose Docker-Content-Digest does not match the bytes it serves (a broken cache or
    /// proxy): the answer cannot be trusted, so the image is not present.
    @Test func aDigestHeaderThatIsNotTheBytesIsRefused() async throws {
        let served = HostileRegistry.manifest(layerSizes: ["1000"])
        let claimed = "sha256:" + String(repeating: "cd", count: 32)
        let registry = try await HostileRegistry(handler: HostileRegistry.serving(served, digestHeader: claimed))
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(result.detail)")
        #expect(result.detail.contains("cannot be trusted") && result.detail.contains(claimed), "\(result.detail)")
    }

    // #10.7 and #17.1: only the registry's codes make a missing_*.
    @Test(arguments: [("", "empty"), ("<html><body>404 Not Found</body></html>", "html")])
    func aBare404IsNotMissing(body: String, label: String) async throws {
        let registry = try await HostileRegistry { _ in .respond(status: 404, headers: [("Content-Type", "text/html")], body: Array(body.utf8)) }
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(label): \(result.detail)")
        #expect(result.detail.contains("not called missing"))
    }

    @Test func manifestUnknownWithATagsListThatNeeds401IsStillMissingTag() async throws {
        let registry = try await HostileRegistry { request in
            if request.path.hasSuffix("/tags/list") { return .respond(status: 401, body: Array(#"{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}"#.utf8)) }
            return .respond(status: 404, body: Array(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#.utf8))
        }
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .missingTag, "\(result.detail)")
    }

    /// GHCR answers a manifest request for a repository that does not exist with NAME_UNKNOWN.
    @Test func nameUnknownOnTheManifestIsAMissingRepository() async throws {
        let registry = try await HostileRegistry { request in
            if request.path.hasSuffix("/tags/list") { return .respond(status: 500) }
            return .respond(status: 404, body: Array(#"{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}"#.utf8))
        }
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .missingRepository, "\(result.detail)")
        #expect(!registry.server.requests.contains { $0.path.hasSuffix("/tags/list") }, "NAME_UNKNOWN is the answer; the tags list adds nothing")
    }

    // #10.8: credentials go only where the mirror rule allows.
    @Test(arguments: ["http+unix://%2Ftmp%2Fx.sock/token", "http://[::ffff:127.0.0.1]:9/token", "file:///etc/passwd", "ftp://127.0.0.1/token"])
    func hostileRealmsGetNoCredentials(realm: String) async throws {
        let registry = try await HostileRegistry { request in
            if request.header("Authorization") != nil {
                return .respond(status: 200, headers: HostileRegistry.manifestType, body: HostileRegistry.manifest(layerSizes: ["1"]))
            }
            return .respond(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="\#(realm)",service="x""#)])
        }
        var store = CredentialStore()
        store.set(RegistryCredential(username: "u", password: Secret("Realm-Pa55word-77"), origin: "test"), for: "ghcr.io")
        let result = try await registry.check("ghcr.io/a/b:1", credentials: store)
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(result.detail)")
        #expect(result.detail.contains("refused"), "\(result.detail)")
        #expect(!result.detail.contains("Realm-Pa55word-77"))
    }

    @Test func aLoopbackHTTPRealmIsAllowed() async throws {
        let registry = try await HostileRegistry { request in
            if request.path == "/token" { return .respond(status: 200, body: Array(#"{"token":"loopback-token-123"}"#.utf8)) }
            if request.header("Authorization") == "Bearer loopback-token-123" {
                if request.path.contains("/blobs/") { return .respond(status: 200, body: HostileRegistry.config) }
                return .respond(status: 200, headers: HostileRegistry.manifestType, body: HostileRegistry.manifest(layerSizes: ["1"]))
            }
            let port = request.header("Host")?.split(separator: ":").last ?? ""
            return .respond(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="http://127.0.0.1:\#(port)/token",service="x""#)])
        }
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .present, "\(result.detail)")
    }

    // #10.13: what a registry echoes is cleaned before it is printed.
    @Test func echoedCredentialsAreRedacted() async throws {
        let issued = "issued-token-5b2e91d7"
        let registry = try await HostileRegistry { request in
            if request.path == "/token" { return .respond(status: 200, body: Array(#"{"token":"\#(issued)"}"#.utf8)) }
            guard let authorization = request.header("Authorization") else {
                let port = request.header("Host")?.split(separator: ":").last ?? ""
                return .respond(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="http://127.0.0.1:\#(port)/token",service="x""#)])
            }
            let echo = "you sent Authorization: \(authorization) and also \(issued) " + String(repeating: "x", count: 5000)
            return .respond(status: 404, body: Array(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"\#(echo)"}]}"#.utf8))
        }
        let result = try await registry.check("ghcr.io/a/b:1")
        await registry.server.stop()
        #expect(result.status == .missingTag, "\(result.detail)")
        #expect(!result.detail.contains(issued), "\(result.detail)")
        #expect(result.detail.count < 1000)
    }

    @Test func mirrorURLsWithCredentialsAreRefused() {
        var mirrors = MirrorMap()
        #expect(throws: MirrorError.self) { try mirrors.add("ghcr.io=http://u:PASS@127.0.0.1:5000", insecure: false) }
        #expect(throws: MirrorError.self) { try mirrors.add("ghcr.io=http+unix://%2Ftmp%2Fs", insecure: true) }
        #expect(throws: MirrorError.self) { try mirrors.add("ghcr.io=http://registry.example:5000", insecure: false) }
        #expect(throws: Never.self) { try mirrors.add("ghcr.io=http://registry.example:5000", insecure: true) }
    }

    // #10.4: --timeout bounds the whole run, bodies included.
    @Test(arguments: ["manifest", "token", "blob"])
    func aDrippingRegistryCannotStretchTheTimeout(what: String) async throws {
        let manifest = HostileRegistry.manifest(layerSizes: ["1"])
        let registry = try await HostileRegistry { request in
            let slow = LoopbackHTTPServer.Reply.drip(status: 200, headers: HostileRegistry.manifestType, body: manifest + Array(repeating: 32, count: 200))
            switch what {
            case "token":
                if request.path == "/token" { return .drip(status: 200, body: Array(#"{"token":"slow-token-000000"}"#.utf8)) }
                if request.header("Authorization") == nil {
                    let port = request.header("Host")?.split(separator: ":").last ?? ""
                    return .respond(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="http://127.0.0.1:\#(port)/token",service="x""#)])
                }
                return .respond(status: 200, headers: HostileRegistry.manifestType, body: manifest)
            case "blob":
                if request.path.contains("/blobs/") { return .drip(status: 200, body: HostileRegistry.config) }
                return .respond(status: 200, headers: HostileRegistry.manifestType, body: manifest)
            default:
                return request.method == "HEAD" ? .respond(status: 200, headers: HostileRegistry.manifestType) : slow
            }
        }
        let start = ContinuousClock.now
        let result = try await registry.check("ghcr.io/a/b:1", timeout: 3, requestTimeout: 3)
        let elapsed = ContinuousClock.now - start
        await registry.server.stop()
        #expect(result.status == .unreachable, "\(result.detail)")
        // A liveness bound with a wide margin (2N + 5 s), not a speed target.
        #expect(elapsed < .seconds(11), "ran \(elapsed) against --timeout 3")
    }

    /// The gap between the 429 and the retry, from the server's own record of request times (no
    /// timer in the test): a registry that answers the first manifest request with 429 and `retryAfter`.
    static func retryGap(retryAfter: String, minimumRetryAfter: Double = 0.05) async throws -> (CheckResult, Duration?) {
        let counter = Counter()
        let manifest = HostileRegistry.manifest(layerSizes: ["1"])
        let registry = try await HostileRegistry { request in
            if request.path.contains("/blobs/") { return .respond(status: 200, body: HostileRegistry.config) }
            if counter.next() == 1 { return .respond(status: 429, headers: [("Retry-After", retryAfter)]) }
            return .respond(status: 200, headers: HostileRegistry.manifestType, body: manifest)
        }
        let result = try await registry.check("ghcr.io/a/b:1", minimumRetryAfter: minimumRetryAfter)
        await registry.server.stop()
        let times = registry.server.requests.filter { $0.path.contains("/manifests/") }.map(\.receivedAt)
        return (result, times.count >= 2 ? times[1] - times[0] : nil)
    }

    // #17.2: the wait a Retry-After asks for is kept.
    @Test func retryAfterIsWaitedFor() async throws {
        let (result, gap) = try await Self.retryGap(retryAfter: "1")
        #expect(result.status == .present, "\(result.detail)")
        let waited = try #require(gap)
        #expect(waited >= .milliseconds(950), "the retry came \(waited) after Retry-After: 1")
    }

    /// A floor well above the jitter (at most 0.1 s) and under the 2 s maximum delay, so waiting
    /// only the registry's 0.1 ms plus jitter cannot pass, even on a loaded machine.
    @Test func tinyRetryAfterIsRaisedToTheMinimum() async throws {
        let (result, gap) = try await Self.retryGap(retryAfter: "0.0001", minimumRetryAfter: 1.5)
        #expect(result.status == .present, "\(result.detail)")
        let waited = try #require(gap)
        #expect(waited >= .milliseconds(1450), "the retry came \(waited) after Retry-After: 0.0001 with a 1.5 s floor")
    }
}
