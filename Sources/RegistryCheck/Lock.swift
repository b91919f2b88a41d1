import Foundation
import ReleaseModel

/// `--write-lock` output: what each reference resolved to when it was checked. The renderer pins
/// images to these digests and the status collector reads the sizes.
public struct RegistryLock: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var ref: String
        public var digest: String
        public var mediaType: String?
        public var compressedSize: Int?
        public var platforms: [String]
    }

    public var schemaVersion = 1
    public var release: String?
    public var platform: String
    public var images: [Entry]

    public init(report: CheckReport) {
        release = report.release
        platform = report.platform
        var entries: [String: Entry] = [:]
        for checked in report.images where checked.result.status == .present {
            guard let digest = checked.result.digest else { continue }
            let ref = checked.image.ref.taggedReference.description
            entries[ref] = Entry(
                ref: ref, digest: digest, mediaType: checked.result.mediaType, compressedSize: checked.result.compressedSize,
                platforms: checked.result.platforms)
        }
        images = entries.values.sorted { $0.ref < $1.ref }
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
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, reason: "no such lock file (write one with alga-release check --write-lock)")
        }
        do {
            return try JSONDecoder().decode(RegistryLock.self, from: data)
        } catch {
            throw InputError(file: path, reason: "not a registry lock file: \(error)")
        }
    }

    /// Writes through a temporary file and a rename, so a reader never sees half a lock.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try encoded().write(to: temporary)
        if FileManager.default.fileExists(atPath: path) {
            _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
        } else {
            try FileManager.default.moveItem(at: temporary, to: url)
        }
    }
}

/// A tag that points somewhere else than the lock says.
public struct MovedTag: Sendable, Equatable {
    public var ref: String
    public var locked: String
    public var current: String
}

extension RegistryLock {
    /// Compares what the registry says now with the lock. Images the lock does not cover are returned
    /// separately: they were not locked, which is not the same as moved.
    public func verify(_ images: [CheckedImage]) -> (moved: [MovedTag], uncovered: [String]) {
        var moved: [MovedTag] = []
        var uncovered: [String] = []
        for checked in images {
            guard let entry = entry(for: checked.image.ref) else {
                uncovered.append(checked.image.ref.description)
                continue
            }
            if let current = checked.result.digest, current != entry.digest {
                moved.append(MovedTag(ref: entry.ref, locked: entry.digest, current: current))
            }
        }
        return (moved, uncovered)
    }
}
