import ReleaseModel

/// A whole mirror run, ready for any output format.
public struct MirrorReport: Sendable {
    public var release: String?
    /// Where the images went: `--to` (mirror), or nil for a bundle.
    public var target: RegistryEndpoint?
    /// Where they went, in words: the registry, or the bundle's folder.
    public var destination: String
    /// The one platform copied out of each index, or nil for every platform.
    public var platform: String?
    public var images: [MirroredImage]
    /// Where the node reaches the target, for the Talos patch (`--node-url`, else the target).
    public var nodeEndpoint: RegistryEndpoint?

    public init(release: String?, target: RegistryEndpoint, platform: String?, images: [MirroredImage], nodeEndpoint: RegistryEndpoint? = nil) {
        self.release = release
        self.target = target
        destination = target.description
        self.platform = platform
        self.images = images
        self.nodeEndpoint = nodeEndpoint ?? target
    }

    /// A bundle's report: no registry, so no path mapping and no Talos patch.
    public init(release: String?, bundle: String, platform: String?, images: [MirroredImage]) {
        self.release = release
        target = nil
        destination = bundle
        self.platform = platform
        self.images = images
        nodeEndpoint = nil
    }

    /// Exit status: every image copied, else the worst: a registry that said no (or bad bytes) is a
    /// failure; only unreachable (and images left untagged because of it) is indeterminate.
    public var verdict: Verdict {
        // Nothing to copy is never a pass: a release or bundle always names images.
        if images.isEmpty { return .fail }
        if images.allSatisfy({ $0.outcome == .copied }) { return .pass }
        if images.contains(where: { [.missing, .denied, .platformMissing, .corrupt, .refused].contains($0.outcome) }) { return .fail }
        return .indeterminate
    }

    /// When some images are tagged at the target and others are not (a tag refused after every
    /// manifest was pushed: a registry has no transaction over several tags), which are which.
    public var partialTags: (tagged: [MirroredImage], untagged: [MirroredImage])? {
        let tagged = images.filter { $0.outcome == .copied }
        guard !tagged.isEmpty, tagged.count < images.count else { return nil }
        return (tagged, images.filter { $0.outcome != .copied })
    }

    /// Totals over every image (a blob shared by two images is sent once and counted once).
    public var totals: (bytesSent: Int, blobsSent: Int, blobsSkipped: Int, blobsMounted: Int) {
        images.reduce((0, 0, 0, 0)) { t, image in
            (clampedSum(t.0, image.bytesSent), t.1 + image.blobsSent, t.2 + image.blobsSkipped, t.3 + image.blobsMounted)
        }
    }

    private func clampedSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// The source registries of the images, in first-seen order: what the Talos patch points at the target.
    public var sourceRegistries: [String] {
        var seen: [String] = []
        for image in images where !seen.contains(image.ref.registry) { seen.append(image.ref.registry) }
        return seen
    }
}
