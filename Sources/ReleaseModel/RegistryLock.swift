import Foundation
import JSONDocument

/// What each reference resolved to when the registry gate checked it (`check --write-lock`). The
/// renderer pins images to these digests; the status collector reads their sizes.
public struct RegistryLock: Sendable, Codable, Equatable {
    /// A blob of an image (its config or a layer), as its manifest names it.
    public struct Blob: Sendable, Codable, Equatable, Hashable {
        public var digest: String
        public var size: Int

        public init(digest: String, size: Int) {
            self.digest = digest
            self.size = size
        }

        /// The sum of their sizes, clamped at Int.max (a hostile lock may say anything).
        public static func total(_ blobs: [Blob]) -> Int {
            blobs.reduce(0) { sum, blob in
                let (next, overflow) = sum.addingReportingOverflow(max(0, blob.size))
                return overflow ? Int.max : next
            }
        }
    }

    public struct Entry: Sendable, Codable, Equatable {
        public var ref: String
        public var digest: String
        public var mediaType: String?
        public var compressedSize: Int?
        public var platforms: [String]
        /// The selected platform's config and layers (locks written before they were recorded lack them).
        public var blobs: [Blob]?

        public init(ref: String, digest: String, mediaType: String?, compressedSize: Int?, platforms: [String], blobs: [Blob]? = nil) {
            self.ref = ref
            self.digest = digest
            self.mediaType = mediaType
            self.compressedSize = compressedSize
            self.platforms = platforms
            self.blobs = blobs
        }
    }

    public var schemaVersion = 1
    public var release: String?
    public var platform: String
    public var images: [Entry]

    public init(release: String?, platform: String, images: [Entry]) {
        self.release = release
        self.platform = platform
        self.images = images.sorted { $0.ref < $1.ref }
    }

    public func entry(for ref: ImageReference) -> Entry? {
        let key = ref.taggedReference.description
        return images.first { $0.ref == key }
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    public static func read(_ path: String) throws(InputError) -> RegistryLock {
        let data = try InputFile.read(path, what: "lock file", maxBytes: JSONFile.maximumSize, hint: "write one with alga-release check --write-lock")
        do {
            return try JSONDecoder().decode(RegistryLock.self, from: data)
        } catch {
            throw InputError(
                file: path,
                reason: "not a registry lock file (\((error as? DecodingError)?.readable ?? "not JSON")); write one with alga-release check --write-lock")
        }
    }

    /// Written whole or not at all, so a reader never sees half a lock.
    public func write(to path: String) throws {
        try AtomicFile.write(encoded(), to: path)
    }
}
