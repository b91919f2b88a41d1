import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RegistryCheck
import RegistryLab
import RegistryRules
import ReleaseModel
import Testing

/// A scripted registry for the faults a real registry will not produce on demand. It serves one
/// small OCI image per repository; the repository's first path segment picks the misbehaviour.
final class FaultRegistry: Sendable {
    static let token = "secret-token-7f3a9c"
    let server: LoopbackHTTPServer
    /// Where the `redirect` repository sends its manifest GETs: another origin, like blob storage.
    let storage: LoopbackHTTPServer
    let counts: NIOLockedValueBox<[String: Int]>
    let config = Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
    let manifest: [UInt8]
    let digest: String

    init() async throws {
        let config = self.config
        let configDigest = RegistrySeeder.digest(config)
        let manifest = Array(
            #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:\#(String(repeating: "a", count: 64))","size":1000}]}"#
                .utf8)
        let digest = RegistrySeeder.digest(manifest)
        self.manifest = manifest
        self.digest = digest
        let counts = NIOLockedValueBox<[String: Int]>([:])
        self.counts = counts
        let storage = try await LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")], body: manifest)
        }
        self.storage = storage
        let storageURL = storage.baseURL
        server = try await LoopbackHTTPServer { request in
            let parts = request.path.split(separator: "/").map(String.init)  // v2, mode, app, manifests|blobs, ref
            if request.path == "/token" {
                // Some token servers answer with access_token only (OAuth2 style).
                let field = request.query.contains { $0.0 == "scope" && $0.1.hasPrefix("repository:access-token/") } ? "access_token" : "token"
                return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"\#(field)":"\#(Self.token)"}"#.utf8))
            }
            guard parts.count == 5, parts[0] == "v2" else { return .respond(status: 404) }
            let mode = parts[1]
            let n = counts.withLockedValue { c -> Int in
                c[mode, default: 0] += 1
                return c[mode]!
            }
            let ok: LoopbackHTTPServer.Reply
            if parts[3] == "blobs" {
                ok = .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: config)
            } else {
                ok = .respond(
                    status: 200,
                    headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json"), ("Docker-Content-Digest", digest)], body: manifest)
            }
            switch mode {
            case "retry-after":
                return n == 1
                    ? .respond(
                        status: 429, headers: [("Retry-After", "1")], body: Array(#"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#.utf8)) : ok
            case "always-429":
                return .respond(
                    status: 429, headers: [("Retry-After", "0")],
                    body: Array(#"{"errors":[{"code":"TOOMANYREQUESTS","message":"retry-after: 880.092µs, allowed: 44000/minute"}]}"#.utf8))
            case "flaky":
                return n <= 2 ? .respond(status: 503) : ok
            case "always-503":
                return .respond(status: 503)
            case "reset":
                return .close
            case "reset-once":
                return n == 1 ? .close : ok
            case "silent":
                return .hang
            case "bad-challenge":
                return .respond(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="http://127.0.0.1/token,service="x"#)])
            case "access-token":
                guard request.header("Authorization") == "Bearer \(Self.token)" else {
                    return .respond(
                        status: 401,
                        headers: [
                            (
                                "WWW-Authenticate",
                                #"Bearer realm="http://127.0.0.1:\#(request.header("Host")?.split(separator: ":").last ?? "")/token",service="fault",scope="repository:access-token/app:pull""#
                            )
                        ])
                }
                return ok
            case "redirect":
                guard request.header("Authorization") == "Bearer \(Self.token)" else {
                    return .respond(
                        status: 401,
                        headers: [
                            (
                                "WWW-Authenticate",
                                #"Bearer realm="http://127.0.0.1:\#(request.header("Host")?.split(separator: ":").last ?? "")/token",service="fault",scope="repository:redirect/app:pull""#
                            )
                        ])
                }
                if parts[3] == "manifests" {
                    // HEAD gives no digest (some registries do that); GET is sent to another origin.
                    if request.method == "HEAD" {
                        return .respond(
                            status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json"), ("Content-Length", String(manifest.count))])
                    }
                    return .respond(status: 307, headers: [("Location", "\(storageURL)/store/manifest")])
                }
                return ok
            default:
                return ok
            }
        }
    }

    func checker(timeout: Double = 20, requestTimeout: Double = 10, attempts: Int = 4) throws -> ImageChecker {
        var mirrors = MirrorMap()
        try mirrors.add("ghcr.io=\(server.baseURL)", insecure: false)
        let client = RegistryClient(
            http: RegistryClient.makeHTTPClient(concurrency: 4), credentials: CredentialStore(),
            retry: RetryPolicy(maxAttempts: attempts, initialDelay: 0.05, maximumDelay: 2, minimumRetryAfter: 0.05, requestTimeout: requestTimeout),
            deadline: .now() + .milliseconds(Int64(timeout * 1000)), logger: Logger(label: "fault"))
        return ImageChecker(client: client, mirrors: mirrors, platform: .linuxAMD64)
    }

    func stop() async {
        await server.stop()
        await storage.stop()
    }
}

@Suite struct FaultTests {
    static func check(_ mode: String, timeout: Double = 20, requestTimeout: Double = 10, attempts: Int = 4) async throws -> (CheckResult, FaultRegistry) {
        let registry = try await FaultRegistry()
        let checker = try registry.checker(timeout: timeout, requestTimeout: requestTimeout, attempts: attempts)
        let result = await checker.check(.ghcr("\(mode)/app", "1"))
        try await checker.client.shutdown()
        await registry.stop()
        return (result, registry)
    }

    @Test func honoursRetryAfterThenSucceeds() async throws {
        let (result, registry) = try await Self.check("retry-after")
        #expect(result.status == .present, "\(result.detail)")
        #expect(result.digest == registry.digest)
        #expect(result.compressedSize == registry.config.count + 1000)
    }

    @Test func stillRateLimitedIsRateLimitedNotMissing() async throws {
        let (result, _) = try await Self.check("always-429", attempts: 3)
        #expect(result.status == .rateLimited)
        // The manifest is asked with GET, so the registry's own words come with the status.
        #expect(result.detail.contains("HTTP 429 (TOOMANYREQUESTS") && result.detail.contains("Retry-After 0)"), "\(result.detail)")
    }

    @Test func serviceUnavailableThenSuccess() async throws {
        let (result, _) = try await Self.check("flaky")
        #expect(result.status == .present, "\(result.detail)")
    }

    @Test func persistentServerErrorIsUnreachable() async throws {
        let (result, registry) = try await Self.check("always-503", attempts: 3)
        #expect(result.status == .unreachable)
        #expect(result.detail.contains("503"))
        #expect(registry.counts.withLockedValue { $0["always-503"] } == 3)
    }

    @Test func connectionResetIsRetriedThenUnreachable() async throws {
        let (once, _) = try await Self.check("reset-once")
        #expect(once.status == .present, "\(once.detail)")
        let (always, _) = try await Self.check("reset", attempts: 2)
        #expect(always.status == .unreachable)
    }

    @Test func aServerThatNeverAnswersIsUnreachable() async throws {
        let (result, _) = try await Self.check("silent", timeout: 5, requestTimeout: 0.5, attempts: 2)
        #expect(result.status == .unreachable)
        #expect(result.detail.contains("timed out"))
    }

    @Test func malformedChallengeIsReportedNotGuessed() async throws {
        let (result, _) = try await Self.check("bad-challenge")
        #expect(result.status == .unreachable)
        #expect(result.detail.contains("malformed WWW-Authenticate"))
    }

    /// HEAD without a digest falls back to GET; the GET is redirected to another origin, which must
    /// not receive the registry token.
    @Test func crossOriginRedirectDoesNotCarryTheToken() async throws {
        let (result, registry) = try await Self.check("redirect")
        #expect(result.status == .present, "\(result.detail)")
        #expect(result.digest == registry.digest)
        let stored = registry.storage.requests
        #expect(stored.count >= 1)
        #expect(stored.allSatisfy { $0.header("Authorization") == nil })
        #expect(registry.server.requests.contains { $0.header("Authorization") == "Bearer \(FaultRegistry.token)" })
    }

    @Test func tokenFromAccessTokenField() async throws {
        let (result, _) = try await Self.check("access-token")
        #expect(result.status == .present, "\(result.detail)")
        #expect(result.auth == "bearer (anonymous token)")
    }

    @Test func unreachableHostIsUnreachable() async throws {
        let closed = try ClosedPort()
        var mirrors = MirrorMap()
        try mirrors.add("ghcr.io=http://127.0.0.1:\(closed.port)", insecure: false)
        let client = RegistryClient(
            http: RegistryClient.makeHTTPClient(concurrency: 1), credentials: CredentialStore(),
            retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.05), deadline: .now() + .seconds(10), logger: Logger(label: "x"))
        let result = await ImageChecker(client: client, mirrors: mirrors, platform: .linuxAMD64).check(.ghcr("a/b", "1"))
        try await client.shutdown()
        #expect(result.status == .unreachable)
        #expect(result.detail.contains("connect"), "\(result.detail)")
        #expect(result.transport == .connect)
        _ = closed
    }
}
