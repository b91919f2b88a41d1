import Foundation
import RegistryRules
import ReleaseModel

/// What a bundle serves, read once at start: its `index.json` (each image by its source
/// reference) and where its blobs are. Read-only: nothing here writes, and every file read is a
/// `blobs/sha256/<hex>` name made from a checked digest.
public struct BundleCatalog: Sendable {
    public let root: URL
    public let index: ImageLayout.Index

    public struct Unusable: Error, CustomStringConvertible {
        public var description: String
    }

    public init(root: URL) throws(Unusable) {
        self.root = root
        let url = root.appendingPathComponent(ImageLayout.indexFile)
        guard let data = try? RegularFile.read(url.path, followLinks: false, maxBytes: 4 << 20),
            let index = try? JSONDecoder().decode(ImageLayout.Index.self, from: data)
        else {
            throw Unusable(
                description: "\(url.path) is missing, larger than 4 MiB, or not an OCI image index: not a bundle (write one with alga-release bundle)")
        }
        self.index = index
    }

    /// Where a blob or manifest's file would be: a name made from a checked digest only.
    func blobPath(_ digest: String) -> String? { ImageLayout.blobPath(digest).map { root.appendingPathComponent($0).path } }

    /// A manifest's bytes and media type (from the index entry that names it, else its own field).
    func manifest(_ digest: String) -> (bytes: Data, mediaType: String)? {
        guard let path = blobPath(digest), let bytes = try? RegularFile.read(path, followLinks: false, maxBytes: 4 << 20),
            ContentDigest.of(bytes) == digest, let document = try? OCIDocument.decode(bytes), document.schemaVersion == 2
        else { return nil }
        let named = index.manifests.first { $0.digest == digest }?.mediaType
        return (bytes, named ?? document.mediaType ?? (document.isIndex ? MediaType.ociIndex : MediaType.ociManifest))
    }
}
