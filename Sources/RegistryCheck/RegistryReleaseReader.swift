import AsyncHTTPClient
import Foundation
import JSONDocument
import RegistryRules
import ReleaseModel

/// Reads a registry release through the gate's own client and classification: the manifest once
/// (its bytes hashed against Docker-Content-Digest and any pin), then its config blob, the release
/// document (hashed against its descriptor). A tag is read once; everything after uses the digest,
/// so a channel moved mid-run never mixes two releases.
public enum RegistryReleaseReader {
    /// The release document is a few KiB; a config blob larger than this is not read.
    public static let maximumDocument = JSONFile.maximumSize

    /// A release read and verified.
    public struct Read: Sendable {
        /// As asked (`:stable`) and as read (`@sha256:…`, the manifest's digest).
        public var asked: RegistryReleaseReference
        public var pinned: RegistryReleaseReference
        public var manifestDigest: String
        public var manifest: OCIDocument
        public var configDigest: String
        public var document: Data
        /// What the appliance records from `Docker-Content-Digest`: the same digest, verified.
        public var auth: String

        /// How findings about the document name it: `oci://HOST/REPO@sha256:…#config`.
        public var documentName: String { pinned.description + "#config" }
    }

    /// Why no release was read: what the registry said (as the gate reports it), or what the
    /// artifact is instead of a release.
    public enum Failure: Error, Sendable {
        case registry(CheckResult)
        case notARelease(String)

        public var description: String {
            switch self {
            case .registry(let result): "\(result.status.rawValue): \(result.detail)"
            case .notARelease(let what): what
            }
        }
    }

    public static func read(_ ref: RegistryReleaseReference, options: SourceOptions) async -> Result<Read, Failure> {
        await RegistryReleaseSession.using(options) { session in await session.read(ref) }
    }

    public static func read(_ ref: RegistryReleaseReference, checker: ImageChecker) async -> Result<Read, Failure> {
        let fetched: ImageChecker.FetchedManifest
        switch await checker.fetchManifest(ref.image) {
        case .failed(let result): return .failure(.registry(result))
        case .fetched(let manifest): fetched = manifest
        }
        let document: OCIDocument
        do { document = try OCIDocument.decode(fetched.bytes) } catch {
            return .failure(.notARelease("\(ref) (\(fetched.digest)) cannot be read: \(error)"))
        }
        let kind = MediaType.kind(artifactType: document.artifactType, config: document.config?.mediaType)
        guard !document.isIndex, !MediaType.isIndex(fetched.mediaType ?? ""), let config = document.config else {
            return .failure(.notARelease("\(ref) is an index (\(fetched.mediaType ?? "no media type")), not an Alga release: name the release artifact itself"))
        }
        guard document.artifactType == MediaType.algaReleaseArtifact || config.mediaType == MediaType.algaReleaseConfig else {
            return .failure(
                .notARelease(
                    "\(ref) is \(kind), not an Alga release (artifactType \(MediaType.algaReleaseArtifact), config \(MediaType.algaReleaseConfig)); name alga-appliance-release:TAG"
                ))
        }
        guard config.size >= 0, config.size <= Int64(maximumDocument) else {
            return .failure(
                .notARelease(
                    "\(ref)'s release document is \(config.size) bytes by its descriptor; a release document is at most \(maximumDocument >> 20) MiB, so it is not read"
                ))
        }
        switch await checker.fetchBlob(of: fetched, digest: config.digest, size: config.size, maxBytes: maximumDocument) {
        case .failed(let result): return .failure(.registry(result))
        case .fetched(let bytes):
            return .success(
                Read(
                    asked: ref, pinned: ref.pinned(fetched.digest), manifestDigest: fetched.digest, manifest: document, configDigest: config.digest,
                    document: bytes, auth: fetched.auth))
        }
    }
}

extension RegistryReleaseReader {
    /// Tags `list` reads at most (a release repository has a tag per version and per channel).
    public static let maximumTags = 500

    /// One tag of a release repository: the manifest it names, and the version its document says
    /// (nil when it is no release, or could not be read).
    public struct Tag: Sendable, Encodable {
        public var tag: String
        public var digest: String?
        public var version: String?
        public var channel: String?
        public var problem: String?
    }

    /// Every tag of `repository` (at most `maximumTags`, sorted) with the release it names.
    public static func list(_ repository: RegistryReleaseReference, options: SourceOptions) async -> Result<[Tag], Failure> {
        await RegistryReleaseSession.using(options) { session in
            await list(repository, checker: session.checker, concurrency: options.concurrency)
        }
    }

    static func list(_ repository: RegistryReleaseReference, checker: ImageChecker, concurrency: Int) async -> Result<[Tag], Failure> {
        let client = checker.client
        let endpoint = checker.endpoint(for: repository.image)
        let path = endpoint.repository(repository.image.repository)
        let answer = await client.send(
            method: .GET, url: "\(endpoint.baseURL)/v2/\(path)/tags/list?n=\(maximumTags)", accept: "application/json", registry: repository.image.registry,
            scope: "repository:\(path):pull", maxBody: 1 << 20)
        guard case .response(200, _, let body?, _) = answer, let list = try? JSONDecoder().decode(TagList.self, from: Data(buffer: body)) else {
            if case .response(404, _, let body, let auth) = answer, RegistryErrors.says(.nameUnknown, in: body.map { Data(buffer: $0) }) {
                return .failure(.registry(CheckResult(status: .missingRepository, detail: "the repository \(path) does not exist (NAME_UNKNOWN)", auth: auth)))
            }
            return .failure(.registry(checker.failure(answer)))
        }
        let tags = Array((list.tags ?? []).filter(ImageReference.isTag).sorted().prefix(maximumTags))
        let read = await BoundedConcurrency.map(tags, limit: concurrency) { tag -> Tag in
            var ref = repository.image
            ref.tag = tag
            ref.digest = nil
            switch await Self.read(RegistryReleaseReference(image: ref), checker: checker) {
            case .success(let release):
                let document = (try? JSONParser.parse(Array(release.document))).map { RegistryReleaseDocument(document: $0.root) }
                return Tag(tag: tag, digest: release.manifestDigest, version: document?.version, channel: document?.channel)
            case .failure(let failure):
                return Tag(tag: tag, digest: nil, version: nil, channel: nil, problem: failure.description)
            }
        }
        return .success(read)
    }
}

/// One run's reads of a registry release's artifacts, on one client (one token cache, one
/// deadline): the release, then its config bundle and charts, each used only when its bytes are
/// its digest.
public final class RegistryReleaseSession: Sendable {
    let http: HTTPClient
    public let checker: ImageChecker
    /// Layers read at most: a config bundle or a chart is a few hundred KiB.
    public static let maximumLayer = 64 << 20

    public init(options: SourceOptions) {
        http = RegistryClient.makeHTTPClient(concurrency: options.concurrency)
        let client = options.client(http: http, deadline: .after(seconds: options.timeout))
        checker = ImageChecker(client: client, mirrors: options.mirrors, platform: options.platform ?? .linuxAMD64)
    }

    public func shutdown() async { try? await http.shutdown() }

    /// `body` on a session of `options`, shut down after it whatever it returns or throws.
    public static func using<T: Sendable>(_ options: SourceOptions, _ body: (RegistryReleaseSession) async throws -> T) async rethrows -> T {
        let session = RegistryReleaseSession(options: options)
        do {
            let result = try await body(session)
            await session.shutdown()
            return result
        } catch {
            await session.shutdown()
            throw error
        }
    }

    /// A release's config bundle: the layer of Flux's content type of the artifact its document
    /// pins by digest (`config.repository@config.digest`).
    public func bundle(of document: RegistryReleaseDocument) async -> Result<Data, RegistryReleaseReader.Failure> {
        let name = "\(document.config.repository)@\(document.config.digest)"
        guard let ref = try? ImageReference(parsing: name) else { return .failure(.notARelease("\(name) is not an artifact reference")) }
        return await layer(of: ref, configType: MediaType.fluxConfig, layerType: MediaType.fluxContent)
    }

    public func read(_ ref: RegistryReleaseReference) async -> Result<RegistryReleaseReader.Read, RegistryReleaseReader.Failure> {
        await RegistryReleaseReader.read(ref, checker: checker)
    }

    /// The one layer of `layerType` of the artifact at `ref`, whose config must be `configType`.
    public func layer(of ref: ImageReference, configType: String, layerType: String) async -> Result<Data, RegistryReleaseReader.Failure> {
        let fetched: ImageChecker.FetchedManifest
        switch await checker.fetchManifest(ref) {
        case .failed(let result): return .failure(.registry(result))
        case .fetched(let manifest): fetched = manifest
        }
        guard let document = try? OCIDocument.decode(fetched.bytes), let config = document.config else {
            return .failure(.notARelease("\(ref) is not a manifest with a config"))
        }
        guard config.mediaType == configType else {
            return .failure(
                .notARelease(
                    "\(ref) is \(MediaType.kind(artifactType: document.artifactType, config: config.mediaType)), not \(MediaType.kind(artifactType: nil, config: configType))"
                ))
        }
        // Flux's source-controller and Helm take the first layer of the content type.
        guard let layer = (document.layers ?? []).first(where: { $0.mediaType == layerType }) else {
            return .failure(.notARelease("\(ref) has no layer of type \(layerType)"))
        }
        switch await checker.fetchBlob(of: fetched, digest: layer.digest, size: layer.size, maxBytes: Self.maximumLayer) {
        case .failed(let result): return .failure(.registry(result))
        case .fetched(let bytes): return .success(bytes)
        }
    }
}
