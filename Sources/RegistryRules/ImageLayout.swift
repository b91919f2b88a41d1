import Foundation
import ReleaseModel

/// The OCI image layout (image-spec `image-layout.md`) a bundle is: `oci-layout`, `index.json`
/// whose entries name each image by its full source reference (`org.opencontainers.image.ref.name`),
/// and every manifest and blob at `blobs/sha256/<hex>`. The names and the index, as values.
public enum ImageLayout {
    public static let layoutFile = "oci-layout"
    public static let layoutText = #"{"imageLayoutVersion": "1.0.0"}"# + "\n"
    public static let indexFile = "index.json"
    public static let refName = "org.opencontainers.image.ref.name"

    /// `blobs/sha256/<hex>` for a digest, or nil for anything that is not `sha256:` and 64
    /// lowercase hex digits: the only names a bundle reads or writes, so no path is made of input.
    public static func blobPath(_ digest: String) -> String? {
        guard ImageReference.isDigest(digest) else { return nil }
        return "blobs/sha256/" + digest.dropFirst("sha256:".count)
    }

    /// One image of the bundle: what its reference names.
    public struct Entry: Sendable, Codable, Equatable {
        public var mediaType: String
        public var digest: String
        public var size: Int
        public var annotations: [String: String]?

        public init(mediaType: String, digest: String, size: Int, ref: String) {
            self.mediaType = mediaType
            self.digest = digest
            self.size = size
            annotations = [ImageLayout.refName: ref]
        }

        /// The source reference the entry names (`ghcr.io/nine-minds/x:tag`).
        public var ref: ImageReference? { annotations?[ImageLayout.refName].flatMap { try? ImageReference(parsing: $0) } }
    }

    public struct Index: Sendable, Codable, Equatable {
        public var schemaVersion = 2
        public var mediaType = MediaType.ociIndex
        public var manifests: [Entry]

        public init(manifests: [Entry]) { self.manifests = manifests }

        public func encoded() throws -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(self) + Data("\n".utf8)
        }

        /// The entry a registry path asks for: the repository with the host dropped (as `mirror`
        /// maps it) and a tag, or a digest that an entry of that repository names.
        public func entry(repository: String, reference: String) -> Entry? {
            manifests.first { entry in
                guard let ref = entry.ref, ref.repository == repository else { return false }
                return ref.tag == reference || entry.digest == reference
            }
        }

        /// Whether any entry is of `repository` (else the registry's NAME_UNKNOWN).
        public func knows(repository: String) -> Bool { manifests.contains { $0.ref?.repository == repository } }

        /// The tags of `repository`, sorted (the registry's tags list).
        public func tags(of repository: String) -> [String] {
            Array(Set(manifests.compactMap { entry in entry.ref.flatMap { $0.repository == repository ? $0.tag : nil } })).sorted()
        }
    }
}
