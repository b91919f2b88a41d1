import RegistryRules
import ReleaseModel

extension ImageChecker {
    /// Checks every image with at most `concurrency` in flight. Identical references are asked once.
    /// Results come back in the order of `images`.
    public func checkAll(
        _ images: [ResolvedImage], concurrency: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> [CheckedImage] {
        var unique: [ImageReference] = []
        var seen = Set<ImageReference>()
        for image in images where seen.insert(image.ref).inserted { unique.append(image.ref) }
        let checked = await BoundedConcurrency.map(unique, limit: concurrency, done: progress) { ref in await self.check(ref) }
        let results = Dictionary(uniqueKeysWithValues: zip(unique, checked))
        return images.map { image in
            let endpoint = endpoint(for: image.ref)
            return CheckedImage(image: image, result: results[image.ref]!, checkedAt: endpoint.isMirror ? endpoint.description : nil)
        }
    }
}
