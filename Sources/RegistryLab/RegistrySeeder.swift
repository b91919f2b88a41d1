import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import RegistryCheck
import RegistryRules

/// What to push: small generated images, made without docker through the registry's own upload API.
public enum SeedImage: Sendable {
    public enum Format: Sendable { case oci, docker }

    /// One manifest for one platform (`linux/amd64`). The first layer is made from `baseSeed` when
    /// given, instead of the repository and tag: images with the same `baseSeed` share it, in one
    /// repository or several, as images built on one base do (`REPOSITORY:TAG` as `baseSeed` is
    /// the first layer of that image as pushed without one).
    case single(platform: String, format: Format = .oci, layerSizes: [Int] = [2048], baseSeed: String? = nil)
    /// An index (OCI) or manifest list (Docker) over several platforms, optionally with a buildx
    /// attestation entry (`unknown/unknown`) as buildx pushes by default.
    case index(platforms: [String], format: Format = .oci, attestation: Bool = true, layerSizes: [Int] = [2048])
    /// A Helm chart as `helm push` stores it: an OCI manifest, a Helm config, one chart layer.
    case helmChart(name: String, version: String)
}

public struct SeedError: Error, CustomStringConvertible {
    public var description: String
}

/// Pushes generated images to a registry. Content is derived from the repository and tag, so a
/// seed is reproducible and different tags get different digests.
public struct RegistrySeeder: Sendable {
    public let baseURL: String
    public let http: HTTPClient
    public let authorization: String?

    public init(baseURL: String, http: HTTPClient, authorization: String? = nil) {
        self.baseURL = baseURL
        self.http = http
        self.authorization = authorization
    }

    /// Pushes `image` as `repository:tag` and returns the digest the tag points at.
    @discardableResult
    public func push(_ image: SeedImage, repository: String, tag: String) async throws -> String {
        switch image {
        case .helmChart(let name, let version):
            let config = Array(#"{"apiVersion":"v2","name":"\#(name)","version":"\#(version)"}"#.utf8)
            let chart = Self.pseudoRandomBytes(count: 1500, seed: "\(repository):\(tag):chart")
            let configDigest = try await pushBlob(config, repository: repository)
            let chartDigest = try await pushBlob(chart, repository: repository)
            let manifest =
                #"{"schemaVersion":2,"mediaType":"\#(MediaType.ociManifest)","config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"\#(configDigest)","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"\#(chartDigest)","size":\#(chart.count)}]}"#
            return try await putManifest(Array(manifest.utf8), mediaType: MediaType.ociManifest, repository: repository, reference: tag)
        case .single(let platform, let format, let sizes, let baseSeed):
            let (bytes, type) = try await pushManifestContent(
                platform: platform, format: format, layerSizes: sizes, repository: repository, seed: tag, baseSeed: baseSeed)
            return try await putManifest(bytes, mediaType: type, repository: repository, reference: tag)
        case .index(let platforms, let format, let attestation, let sizes):
            var entries: [String] = []
            for platform in platforms {
                let (bytes, type) = try await pushManifestContent(platform: platform, format: format, layerSizes: sizes, repository: repository, seed: tag)
                let digest = try await putManifest(bytes, mediaType: type, repository: repository, reference: Self.digest(bytes))
                entries.append(Self.descriptor(mediaType: type, digest: digest, size: bytes.count, platform: platform))
            }
            if attestation && format == .oci {
                let (bytes, _) = try await pushManifestContent(
                    platform: "unknown/unknown", format: .oci, layerSizes: [239], repository: repository, seed: tag + "-att")
                let digest = try await putManifest(bytes, mediaType: MediaType.ociManifest, repository: repository, reference: Self.digest(bytes))
                entries.append(
                    #"{"mediaType":"\#(MediaType.ociManifest)","digest":"\#(digest)","size":\#(bytes.count),"annotations":{"vnd.docker.reference.digest":"\#(entries.first.flatMap { Self.digestIn($0) } ?? "")","vnd.docker.reference.type":"attestation-manifest"},"platform":{"architecture":"unknown","os":"unknown"}}"#
                )
            }
            let type = format == .oci ? MediaType.ociIndex : MediaType.dockerList
            let index = #"{"schemaVersion":2,"mediaType":"\#(type)","manifests":[\#(entries.joined(separator: ","))]}"#
            return try await putManifest(Array(index.utf8), mediaType: type, repository: repository, reference: tag)
        }
    }

    static func digestIn(_ descriptor: String) -> String? {
        descriptor.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression).map { String(descriptor[$0]) }
    }

    static func descriptor(mediaType: String, digest: String, size: Int, platform: String) -> String {
        let parts = platform.split(separator: "/").map(String.init)
        let variant = parts.count > 2 ? #","variant":"\#(parts[2])""# : ""
        return #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size),"platform":{"architecture":"\#(parts[1])","os":"\#(parts[0])"\#(variant)}}"#
    }

    /// Pushes a config and layers for one platform; returns the manifest bytes (not yet pushed).
    private func pushManifestContent(
        platform: String, format: SeedImage.Format, layerSizes: [Int], repository: String, seed: String, baseSeed: String? = nil
    ) async throws -> ([UInt8], String) {
        let parts = platform.split(separator: "/").map(String.init)
        var layers: [(String, Int)] = []
        for (i, size) in layerSizes.enumerated() {
            let bytes = Self.pseudoRandomBytes(count: size, seed: "\(i == 0 ? baseSeed ?? "\(repository):\(seed)" : "\(repository):\(seed)"):\(platform):\(i)")
            layers.append((try await pushBlob(bytes, repository: repository), size))
        }
        let variant = parts.count > 2 ? #","variant":"\#(parts[2])""# : ""
        let config =
            #"{"architecture":"\#(parts[1])","os":"\#(parts[0])"\#(variant),"config":{"Labels":{"seed":"\#(seed)"}},"rootfs":{"type":"layers","diff_ids":[\#(layers.map { "\"\($0.0)\"" }.joined(separator: ","))]}}"#
        let configBytes = Array(config.utf8)
        let configDigest = try await pushBlob(configBytes, repository: repository)
        let (type, configType, layerType) =
            format == .oci
            ? (MediaType.ociManifest, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip")
            : (MediaType.dockerManifest, "application/vnd.docker.container.image.v1+json", "application/vnd.docker.image.rootfs.diff.tar.gzip")
        let layerJSON = layers.map { #"{"mediaType":"\#(layerType)","digest":"\#($0.0)","size":\#($0.1)}"# }.joined(separator: ",")
        let manifest =
            #"{"schemaVersion":2,"mediaType":"\#(type)","config":{"mediaType":"\#(configType)","digest":"\#(configDigest)","size":\#(configBytes.count)},"layers":[\#(layerJSON)]}"#
        return (Array(manifest.utf8), type)
    }

    func pushBlob(_ bytes: [UInt8], repository: String) async throws -> String {
        let digest = Self.digest(bytes)
        var start = HTTPClientRequest(url: "\(baseURL)/v2/\(repository)/blobs/uploads/")
        start.method = .POST
        authorize(&start)
        let started = try await http.execute(start, timeout: .seconds(30))
        _ = try await started.body.collect(upTo: 1 << 20)
        guard started.status.code == 202, let location = started.headers.first(name: "Location") else {
            throw SeedError(description: "upload to \(repository) refused: HTTP \(started.status.code)")
        }
        let absolute = location.hasPrefix("http") ? location : baseURL + location
        var put = HTTPClientRequest(url: absolute + (absolute.contains("?") ? "&" : "?") + "digest=\(digest)")
        put.method = .PUT
        put.headers.add(name: "Content-Type", value: "application/octet-stream")
        put.body = .bytes(ByteBuffer(bytes: bytes))
        authorize(&put)
        let done = try await http.execute(put, timeout: .seconds(30))
        _ = try await done.body.collect(upTo: 1 << 20)
        guard done.status.code == 201 else { throw SeedError(description: "blob \(digest) to \(repository): HTTP \(done.status.code)") }
        return digest
    }

    @discardableResult
    func putManifest(_ bytes: [UInt8], mediaType: String, repository: String, reference: String) async throws -> String {
        var put = HTTPClientRequest(url: "\(baseURL)/v2/\(repository)/manifests/\(reference)")
        put.method = .PUT
        put.headers.add(name: "Content-Type", value: mediaType)
        put.body = .bytes(ByteBuffer(bytes: bytes))
        authorize(&put)
        let done = try await http.execute(put, timeout: .seconds(30))
        let body = try await done.body.collect(upTo: 1 << 20)
        guard done.status.code == 201 else {
            throw SeedError(description: "manifest \(repository):\(reference): HTTP \(done.status.code) \(String(buffer: body))")
        }
        return Self.digest(bytes)
    }

    private func authorize(_ request: inout HTTPClientRequest) {
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
    }

    public static func digest(_ bytes: [UInt8]) -> String { ContentDigest.of(Data(bytes)) }

    /// Deterministic filler: SHA-256 in counter mode over the seed.
    static func pseudoRandomBytes(count: Int, seed: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var counter = 0
        while out.count < count {
            out += SHA256.hash(data: Data("\(seed)/\(counter)".utf8))
            counter += 1
        }
        return Array(out.prefix(count))
    }
}
