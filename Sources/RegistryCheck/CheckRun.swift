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
        var results: [ImageReference: CheckResult] = [:]
        await withTaskGroup(of: (ImageReference, CheckResult).self) { group in
            var next = 0
            func launch() {
                let ref = unique[next]
                next += 1
                group.addTask { (ref, await self.check(ref)) }
            }
            while next < unique.count && next < max(1, concurrency) { launch() }
            for await (ref, result) in group {
                results[ref] = result
                progress?(results.count, unique.count)
                if next < unique.count { launch() }
            }
        }
        return images.map { image in
            let endpoint = endpoint(for: image.ref)
            return CheckedImage(image: image, result: results[image.ref]!, checkedAt: endpoint.isMirror ? endpoint.baseURL : nil)
        }
    }
}
