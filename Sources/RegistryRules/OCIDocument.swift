import Foundation
import JSONDocument
import ReleaseModel

/// A manifest or index as the registry served it, decoded strictly: every size is an integer
/// that fits in 64 bits, or the document is refused. The one place registry JSON is read.
public struct OCIDocument: Decodable, Sendable, Equatable {
    public struct Descriptor: Decodable, Sendable, Equatable {
        public var mediaType: String?
        public var digest: String
        public var size: Int64
        public var platform: PlatformField?
        public var annotations: [String: String]?
    }

    public struct PlatformField: Decodable, Sendable, Equatable {
        public var os: String?
        public var architecture: String?
        public var variant: String?
    }

    public var schemaVersion: Int?
    public var mediaType: String?
    /// An artifact's type (OCI 1.1), when it says one.
    public var artifactType: String?
    public var annotations: [String: String]?
    public var config: Descriptor?
    public var layers: [Descriptor]?
    public var manifests: [Descriptor]?

    /// Why a document cannot be used.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case notJSON(String)
        case noSizes
        case negativeSize(digest: String, size: Int64)
        case sizeOverflow
        /// A descriptor whose digest is not `sha256:` and 64 lowercase hex digits: it is never put in
        /// a URL or a file name, and the document is not used.
        case invalidDigest(String)

        public var description: String {
            switch self {
            case .notJSON(let why): "it is not a manifest this tool can read (\(why))"
            case .noSizes: "it lists no config or layers"
            case .negativeSize(let digest, let size): "it gives \(digest) a negative size (\(size)); the registry's answer cannot be trusted"
            case .sizeOverflow: "its sizes add up past 2^63 bytes; the registry's answer cannot be trusted"
            case .invalidDigest(let digest):
                "it names \(digest.count > 80 ? String(digest.prefix(80)) + "…" : digest), not a sha256 digest (sha256: and 64 lowercase hex digits); the document is not used"
            }
        }
    }

    public static func decode(_ bytes: Data) throws(Problem) -> OCIDocument {
        let document: OCIDocument
        do {
            document = try JSONDecoder().decode(OCIDocument.self, from: bytes)
        } catch let error as DecodingError {
            throw .notJSON(error.readable)
        } catch {
            throw .notJSON("\(error)")
        }
        // Every digest is checked here, once, before any is used in a request's path or a file's name.
        for descriptor in [document.config].compactMap({ $0 }) + (document.layers ?? []) + (document.manifests ?? [])
        where !ImageReference.isDigest(descriptor.digest) {
            throw .invalidDigest(descriptor.digest)
        }
        return document
    }

    public var isIndex: Bool { manifests != nil }

    /// An index's images by platform, in its order. buildx attestations (SBOM, provenance) are
    /// listed as unknown/unknown: they are not platforms.
    public var offeredPlatforms: [(platform: Platform, descriptor: Descriptor)] {
        (manifests ?? []).compactMap { entry in
            guard let p = entry.platform, let os = p.os, let arch = p.architecture else { return nil }
            if os == "unknown" || arch == "unknown" || entry.annotations?["vnd.docker.reference.type"] == "attestation-manifest" { return nil }
            return (Platform(os: os, architecture: arch, variant: p.variant), entry)
        }
    }

    /// The config and the layers, each with its size checked: the blobs a pull downloads. Sizes come
    /// from the registry: each must be non-negative, and their sum must not overflow.
    public func blobs() throws(Problem) -> [RegistryLock.Blob] {
        guard let config, let layers else { throw .noSizes }
        var total: Int64 = 0
        var blobs: [RegistryLock.Blob] = []
        for descriptor in [config] + layers {
            guard descriptor.size >= 0 else { throw .negativeSize(digest: descriptor.digest, size: descriptor.size) }
            let (sum, overflow) = total.addingReportingOverflow(descriptor.size)
            guard !overflow, let size = Int(exactly: descriptor.size) else { throw .sizeOverflow }
            total = sum
            blobs.append(RegistryLock.Blob(digest: descriptor.digest, size: size))
        }
        guard Int(exactly: total) != nil else { throw .sizeOverflow }
        return blobs
    }

    /// config.size + Σ layers[].size: what a pull downloads before decompression.
    public func compressedSize() throws(Problem) -> Int {
        RegistryLock.Blob.total(try blobs())
    }
}
