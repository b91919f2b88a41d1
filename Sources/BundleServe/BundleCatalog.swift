import Foundation
import RegistryRules

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
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path), let size = (attributes[.size] as? NSNumber)?.intValue,
            size <= 4 << 20, let data = try? Data(contentsOf: url), let index = try? JSONDecoder().decode(ImageLayout.Index.self, from: data)
        else {
            throw Unusable(
                description: "\(url.path) is missing, larger than 4 MiB, or not an OCI image index: not a bundle (write one with alga-release bundle)")
        }
        self.index = index
    }

    /// The file of a blob or manifest, when the bundle has it.
    func file(_ digest: String) -> (path: String, size: Int)? {
        guard let relative = ImageLayout.blobPath(digest) else { return nil }
        let path = root.appendingPathComponent(relative).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular,
            let size = (attributes[.size] as? NSNumber)?.intValue
        else { return nil }
        return (path, size)
    }

    /// A manifest's bytes and media type (from the index entry that names it, else its own field).
    func manifest(_ digest: String) -> (bytes: Data, mediaType: String)? {
        guard let (path, size) = file(digest), size <= 4 << 20, let bytes = FileManager.default.contents(atPath: path),
            let document = try? OCIDocument.decode(bytes), document.schemaVersion == 2
        else { return nil }
        let named = index.manifests.first { $0.digest == digest }?.mediaType
        return (bytes, named ?? document.mediaType ?? (document.isIndex ? MediaType.ociIndex : MediaType.ociManifest))
    }
}
