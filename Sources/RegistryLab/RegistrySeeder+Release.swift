import AsyncHTTPClient
import Foundation
import ReleaseModel

extension RegistrySeeder {
    /// Pushes every image of a release into one registry that stands in for all their registries
    /// (as `--mirror` points at it), except `skipping` (by inventory key). `indexKeys` are pushed as
    /// multi-platform indexes, the rest as single linux/amd64 manifests; `layers` gives a key's
    /// (or, under `*`, every other key's) layer sizes in bytes (for a benchmark's realistic sizes; small ones otherwise).
    @discardableResult
    public func seedRelease(
        _ images: [ResolvedImage], skipping: Set<String> = [], indexKeys: Set<String> = [], layers: [String: [Int]] = [:]
    ) async throws
        -> [String]
    {
        var pushed: [String] = []
        for image in images where !skipping.contains(image.key) {
            let seed: SeedImage =
                indexKeys.contains(image.key)
                ? .index(platforms: ["linux/amd64", "linux/arm64"], layerSizes: layers[image.key] ?? layers["*"] ?? [4096, 1024])
                : .single(platform: "linux/amd64", layerSizes: layers[image.key] ?? layers["*"] ?? [3072])
            try await push(seed, repository: image.ref.repository, tag: image.ref.tag ?? "latest")
            pushed.append(image.ref.description)
        }
        return pushed
    }
}
