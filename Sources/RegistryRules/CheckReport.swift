import ReleaseModel

/// A whole check, ready for any output format.
public struct CheckReport: Sendable {
    public var release: String?
    public var policy: Policy
    public var platform: String
    public var images: [CheckedImage]
    /// When the check ended (RFC 3339), so a report can be told stale (`promote --report`).
    public var finishedAt: String?
    /// A registry release: the manifest digest that was read (its closure was checked from it).
    public var manifestDigest: String?

    public init(release: String?, policy: Policy, platform: String, images: [CheckedImage]) {
        self.release = release
        self.policy = policy
        self.platform = platform
        self.images = images
    }

    /// The run's verdict; against a lock, with the tags that moved since it was written.
    public func verdict(moved: [MovedTag] = []) -> Verdict { policy.verdict(for: images, moved: moved) }

    public var summary: [CheckStatus: Int] {
        var counts: [CheckStatus: Int] = [:]
        for status in CheckStatus.allCases { counts[status] = 0 }
        for image in images { counts[image.result.status, default: 0] += 1 }
        return counts
    }
}
