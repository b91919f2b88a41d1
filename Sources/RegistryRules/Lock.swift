import Foundation
import ReleaseModel

extension RegistryLock {
    /// The lock of a check: every present image with its digest, media type, size, platforms and blobs.
    public init(report: CheckReport) {
        var entries: [String: Entry] = [:]
        for checked in report.images where checked.result.status == .present {
            guard let digest = checked.result.digest else { continue }
            let ref = checked.image.ref.taggedReference.description
            entries[ref] = Entry(
                ref: ref, digest: digest, mediaType: checked.result.mediaType, compressedSize: checked.result.compressedSize,
                platforms: checked.result.platforms, blobs: checked.result.blobs)
        }
        self.init(release: report.release, platform: report.platform, images: Array(entries.values))
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
