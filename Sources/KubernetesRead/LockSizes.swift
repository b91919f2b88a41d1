import ReleaseModel

/// Compressed image sizes from a registry lock (`check --write-lock`), looked up by the reference a
/// pod names, however it is written (`redis:7.4` is `docker.io/library/redis:7.4`).
public struct LockSizes: Sendable {
    private let sizes: [String: Int]

    public init(_ lock: RegistryLock?) {
        var sizes: [String: Int] = [:]
        for entry in lock?.images ?? [] {
            if let size = entry.compressedSize, let ref = try? ImageReference(parsing: entry.ref) { sizes[ref.taggedReference.description] = size }
        }
        self.sizes = sizes
    }

    public func size(of image: String) -> Int? {
        guard let ref = try? ImageReference(parsing: image) else { return nil }
        return sizes[ref.taggedReference.description]
    }
}
