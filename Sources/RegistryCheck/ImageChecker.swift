import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryRules
import ReleaseModel

/// Checks one reference against its registry: existence, digest, platform, compressed size.
public struct ImageChecker: Sendable {
    public var client: RegistryClient
    public var mirrors: MirrorMap
    public var platform: Platform

    public init(client: RegistryClient, mirrors: MirrorMap, platform: Platform) {
        self.client = client
        self.mirrors = mirrors
        self.platform = platform
    }

    public func endpoint(for ref: ImageReference) -> RegistryEndpoint { mirrors.endpoint(for: ref.registry) }

    /// A manifest as the registry served it, its bytes checked: they hash to the registry's
    /// Docker-Content-Digest and to the pin (a pinned reference is what the node pulls).
    public struct FetchedManifest: Sendable {
        public var ref: ImageReference
        public var bytes: Data
        /// The digest the bytes hash to.
        public var digest: String
        public var mediaType: String?
        public var auth: String
        var base: String
        var scope: String
    }

    /// The registry's answer to one manifest GET: verified bytes, or what the gate reports
    /// instead (missing only when the registry said so).
    public enum ManifestAnswer: Sendable {
        case fetched(FetchedManifest)
        case failed(CheckResult)
    }

    /// A blob's verified bytes, or what the gate reports instead.
    public enum BlobAnswer: Sendable {
        case fetched(Data)
        case failed(CheckResult)
    }

    public func check(_ ref: ImageReference) async -> CheckResult {
        switch await fetchManifest(ref) {
        case .failed(let result): return result
        case .fetched(let manifest): return await details(manifest)
        }
    }

    /// One GET of the manifest, classified as the gate classifies it, its bytes verified.
    public func fetchManifest(_ ref: ImageReference) async -> ManifestAnswer {
        let endpoint = endpoint(for: ref)
        let repository = endpoint.repository(ref.repository)
        let base = endpoint.baseURL + "/v2/" + repository
        let scope = "repository:\(repository):pull"
        // A digest is what the node pulls when one is given; otherwise the tag (Docker's default is latest).
        let reference = ref.digest ?? ref.tag ?? "latest"
        let manifestURL = "\(base)/manifests/\(reference)"

        // GET first: one answer carries the digest, the media type and the body that says which
        // platforms there are (a HEAD, then a GET by digest, cost a round trip more; and a GET is
        // what a registry's rate limit counts either way, one per image).
        let first = await client.send(method: .GET, url: manifestURL, accept: MediaType.accept, registry: ref.registry, scope: scope)
        guard case .response(let status, let headers, let body, let auth) = first else { return .failed(failure(first)) }
        switch status {
        case 200:
            let digest = headers.first(name: "Docker-Content-Digest")
            let mediaType = headers.first(name: "Content-Type").map(Self.bareMediaType)
            if let expected = ref.digest, let digest, digest != expected {
                return .failed(
                    CheckResult(
                        status: .unreachable, digest: digest, mediaType: mediaType, detail: "asked for \(expected), the registry answered with \(digest)",
                        auth: auth))
            }
            guard let body else {
                return .failed(notVerified("the manifest answer had no body", digest: digest, mediaType: mediaType, auth: auth))
            }
            let bytes = Data(buffer: body)
            let computed = ContentDigest.of(bytes)
            if let digest, digest != computed {
                return .failed(
                    CheckResult(
                        status: .unreachable, digest: digest, mediaType: mediaType,
                        detail: "the manifest's bytes hash to \(computed), not to the Docker-Content-Digest \(digest); the answer cannot be trusted", auth: auth
                    ))
            }
            // A pinned reference is what the node pulls: it is present only if these bytes are the pin,
            // whatever (or whether) the registry put in Docker-Content-Digest.
            if let pinned = ref.digest, pinned != computed {
                return .failed(
                    CheckResult(
                        status: .unreachable, digest: computed, mediaType: mediaType,
                        detail: "asked for \(pinned), but the manifest served hashes to \(computed); the node pulls by digest and would fail", auth: auth))
            }
            return .fetched(FetchedManifest(ref: ref, bytes: bytes, digest: computed, mediaType: mediaType, auth: auth, base: base, scope: scope))
        case 404:
            return .failed(await classifyNotFound(ref: ref, base: base, scope: scope, status: status, body: body, auth: auth))
        case 401, 403:
            let said = client.errorSummary(body)
            let who = auth == "anonymous" ? "anonymously" : "with \(auth)"
            return .failed(
                CheckResult(
                    status: .denied,
                    detail:
                        "HTTP \(status)\(said.isEmpty ? "" : " " + said) when asked \(who): not pullable with these credentials (private repository, or one the registry will not confirm exists)",
                    auth: auth))
        default:
            return .failed(CheckResult(status: .unreachable, detail: "unexpected HTTP \(status) for the manifest \(client.errorSummary(body))", auth: auth))
        }
    }

    /// A blob of a fetched manifest's repository, at most `maxBytes` (refused before it is asked
    /// for when its descriptor says more), used only when its bytes hash to `digest`.
    public func fetchBlob(of manifest: FetchedManifest, digest: String, size: Int64, maxBytes: Int) async -> BlobAnswer {
        guard ImageReference.isDigest(digest) else {
            return .failed(CheckResult(status: .unreachable, detail: "\(digest) is not a sha256 digest", auth: manifest.auth))
        }
        guard size >= 0, size <= Int64(maxBytes) else {
            return .failed(
                CheckResult(
                    status: .unreachable, digest: manifest.digest,
                    detail: "its blob \(digest) is \(size) bytes by its descriptor, more than the \(maxBytes) this tool reads of one; not fetched",
                    auth: manifest.auth))
        }
        let get = await client.send(
            method: .GET, url: "\(manifest.base)/blobs/\(digest)", accept: nil, registry: manifest.ref.registry, scope: manifest.scope, maxBody: maxBytes)
        guard case .response(200, _, let body?, _) = get else {
            if case .response(404, _, let body, let auth) = get, RegistryErrors.says(.blobUnknown, in: body.map { Data(buffer: $0) }) {
                return .failed(
                    CheckResult(status: .missingTag, digest: manifest.digest, detail: "its blob \(digest) does not exist (BLOB_UNKNOWN)", auth: auth))
            }
            return .failed(
                CheckResult(
                    status: .unreachable, digest: manifest.digest, detail: "its blob \(digest) could not be read: \(failure(get).detail)", auth: manifest.auth))
        }
        let bytes = Data(buffer: body)
        guard ContentDigest.of(bytes) == digest, Int64(bytes.count) == size else {
            return .failed(
                CheckResult(
                    status: .unreachable, digest: manifest.digest,
                    detail: "its blob's bytes do not hash to \(digest) (or are not the \(size) bytes its descriptor says); the answer cannot be trusted",
                    auth: manifest.auth))
        }
        return .fetched(bytes)
    }

    func failure(_ exchange: Exchange) -> CheckResult {
        switch exchange {
        case .rateLimited(let detail): CheckResult(status: .rateLimited, detail: detail)
        case .unreachable(let detail, let transport): CheckResult(status: .unreachable, detail: detail, transport: transport)
        case .denied(let detail, let auth): CheckResult(status: .denied, detail: detail, auth: auth)
        case .response(let status, _, let body, let auth):
            CheckResult(status: .unreachable, detail: "unexpected HTTP \(status) \(client.errorSummary(body))", auth: auth)
        }
    }

    package static func bareMediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// A 404 to a manifest: only the registry's own error codes decide between a missing tag and a
    /// missing repository. Distribution answers MANIFEST_UNKNOWN for both, so the tags list is asked.
    private func classifyNotFound(ref: ImageReference, base: String, scope: String, status: Int, body: ByteBuffer?, auth: String) async -> CheckResult {
        let codes = RegistryErrors.parse(body.map { Data(buffer: $0) }).map(\.code)
        let said = client.errorSummary(body)
        if codes.contains(.nameUnknown) {
            return CheckResult(status: .missingRepository, detail: "the registry says \(said)", auth: auth)
        }
        let what = ref.digest.map { "digest \($0)" } ?? "tag \(ref.tag ?? "latest")"
        // Only the registry's own code says "missing": a bare 404, a proxy's HTML page or any other
        // answer could be a wrong mirror path or a broken cache, and is reported as what it was.
        guard status == 404, codes.contains(.manifestUnknown) else {
            let answer = codes.isEmpty ? "with \(client.excerpt(body)) and no registry error code" : said
            return CheckResult(
                status: .unreachable,
                detail: "HTTP \(status) \(answer) for the manifest of \(what): not a registry's MANIFEST_UNKNOWN or NAME_UNKNOWN, so not called missing",
                auth: auth)
        }
        let tags = await client.send(method: .GET, url: "\(base)/tags/list", accept: "application/json", registry: ref.registry, scope: scope)
        if case .response(let tagsStatus, _, let tagsBody, _) = tags {
            if tagsStatus == 404, RegistryErrors.says(.nameUnknown, in: tagsBody.map { Data(buffer: $0) }) {
                return CheckResult(status: .missingRepository, detail: "the repository \(ref.repository) does not exist (NAME_UNKNOWN)", auth: auth)
            }
            if tagsStatus == 200, let list = try? JSONDecoder().decode(TagList.self, from: Data(buffer: tagsBody ?? ByteBuffer())) {
                let tags = list.tags ?? []
                let near = tags.filter { tag in ref.tag.map { tag.hasPrefix($0) || $0.hasPrefix(tag) } ?? false }
                let hint =
                    near.isEmpty ? "" : "; similar tags that exist: \(near.prefix(5).map { client.redactor.clean($0.prefix(128)) }.joined(separator: ", "))"
                return CheckResult(
                    status: .missingTag,
                    detail: "\(what) not found in \(ref.repository) (\(said)), which has \(tags.count) tag\(tags.count == 1 ? "" : "s")\(hint)",
                    auth: auth)
            }
        }
        return CheckResult(
            status: .missingTag, detail: "\(what) not found (\(said)); whether the repository exists could not be confirmed (tags list unavailable)",
            auth: auth)
    }

    /// A verified manifest's platform and compressed size.
    private func details(_ fetched: FetchedManifest) async -> CheckResult {
        let (ref, base, scope, computed, mediaType, auth) = (fetched.ref, fetched.base, fetched.scope, fetched.digest, fetched.mediaType, fetched.auth)
        let document: OCIDocument
        do { document = try OCIDocument.decode(fetched.bytes) } catch {
            return notVerified("the manifest cannot be read: \(error)", digest: computed, mediaType: mediaType, auth: auth)
        }
        let type = mediaType ?? document.mediaType ?? ""
        if MediaType.isIndex(type) || document.isIndex {
            return await indexDetails(ref: ref, base: base, scope: scope, index: document, digest: computed, mediaType: type, auth: auth)
        }
        if type == MediaType.dockerSchema1Signed {
            return CheckResult(
                status: .present, digest: computed, mediaType: type,
                detail: "a deprecated Docker schema 1 manifest: platform and size not checked", auth: auth)
        }
        return await manifestDetails(ref: ref, base: base, scope: scope, manifest: document, digest: computed, mediaType: type, auth: auth)
    }

    private func notVerified(_ reason: String, digest: String?, mediaType: String?, auth: String) -> CheckResult {
        CheckResult(
            status: .unreachable, digest: digest, mediaType: mediaType,
            detail: "the tag exists\(digest.map { " (\($0))" } ?? ""), but its platform and size could not be checked: \(reason)", auth: auth)
    }

    private func indexDetails(
        ref: ImageReference, base: String, scope: String, index: OCIDocument, digest: String, mediaType: String, auth: String
    ) async -> CheckResult {
        let offered = index.offeredPlatforms.map { ($0.platform, $0.descriptor.digest) }
        let platforms = offered.map(\.0.description)
        guard let chosen = offered.first(where: { platform.matches($0.0) }) else {
            return CheckResult(
                status: .platformMissing, digest: digest, mediaType: mediaType, platforms: platforms,
                detail: "the index has no \(platform) image; it offers \(platforms.isEmpty ? "no platforms" : platforms.joined(separator: ", "))", auth: auth)
        }
        let get = await client.send(method: .GET, url: "\(base)/manifests/\(chosen.1)", accept: MediaType.accept, registry: ref.registry, scope: scope)
        guard case .response(200, _, let body?, _) = get else {
            return notVerified(
                "the \(platform) manifest \(chosen.1) could not be read: \(failure(get).detail)", digest: digest, mediaType: mediaType, auth: auth)
        }
        let bytes = Data(buffer: body)
        guard ContentDigest.of(bytes) == chosen.1 else {
            return notVerified("the \(platform) manifest does not match its digest \(chosen.1)", digest: digest, mediaType: mediaType, auth: auth)
        }
        let blobs: [RegistryLock.Blob]
        do { blobs = try OCIDocument.decode(bytes).blobs() } catch {
            return notVerified("the \(platform) manifest cannot be used: \(error)", digest: digest, mediaType: mediaType, auth: auth)
        }
        return CheckResult(
            status: .present, digest: digest, mediaType: mediaType, platforms: platforms, compressedSize: RegistryLock.Blob.total(blobs), blobs: blobs,
            detail: "\(platforms.count) platform\(platforms.count == 1 ? "" : "s"); \(platform) is \(chosen.1)", auth: auth)
    }

    private func manifestDetails(
        ref: ImageReference, base: String, scope: String, manifest: OCIDocument, digest: String, mediaType: String, auth: String
    ) async -> CheckResult {
        let blobs: [RegistryLock.Blob]
        do { blobs = try manifest.blobs() } catch {
            return notVerified("the manifest cannot be used: \(error)", digest: digest, mediaType: mediaType, auth: auth)
        }
        let size = RegistryLock.Blob.total(blobs)
        guard let configDigest = manifest.config?.digest else {
            return notVerified("the manifest lists no config", digest: digest, mediaType: mediaType, auth: auth)
        }
        // A Helm chart, a Flux bundle or a release has no platform: its manifest (whose bytes were
        // checked above) and size are all.
        if let config = manifest.config?.mediaType, MediaType.artifactConfigs.contains(config) {
            return CheckResult(
                status: .present, digest: digest, mediaType: mediaType, platforms: [], compressedSize: size, blobs: blobs,
                detail: "\(MediaType.kind(artifactType: manifest.artifactType, config: config)) (\(config)): no platform to check", auth: auth,
                configMediaType: config)
        }
        // A single-platform image says its platform only in its config blob.
        let get = await client.send(method: .GET, url: "\(base)/blobs/\(configDigest)", accept: nil, registry: ref.registry, scope: scope)
        guard case .response(200, _, let body?, _) = get else {
            return notVerified("its config blob \(configDigest) could not be read: \(failure(get).detail)", digest: digest, mediaType: mediaType, auth: auth)
        }
        let bytes = Data(buffer: body)
        guard let config = try? JSONDecoder().decode(ImageConfig.self, from: bytes) else {
            return notVerified("its config blob \(configDigest) could not be read: it is not an image config", digest: digest, mediaType: mediaType, auth: auth)
        }
        guard ContentDigest.of(bytes) == configDigest else {
            return notVerified("its config blob does not match its digest \(configDigest)", digest: digest, mediaType: mediaType, auth: auth)
        }
        let offered = Platform(os: config.os, architecture: config.architecture, variant: config.variant)
        guard platform.matches(offered) else {
            return CheckResult(
                status: .platformMissing, digest: digest, mediaType: mediaType, platforms: [offered.description], compressedSize: size,
                detail: "a single-platform \(offered) image; \(platform) is required", auth: auth)
        }
        return CheckResult(
            status: .present, digest: digest, mediaType: mediaType, platforms: [offered.description], compressedSize: size, blobs: blobs,
            detail: "single-platform image", auth: auth)
    }
}
