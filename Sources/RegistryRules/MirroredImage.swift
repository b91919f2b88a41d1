import ReleaseModel

/// One image of a mirror run: what was asked, where it went, what it cost.
public struct MirroredImage: Sendable, Equatable {
    public var ref: ImageReference
    /// The full target reference, `host:port/path:tag`.
    public var target: String
    public var outcome: MirrorOutcome
    /// The source's digest of what the reference names (the index for a multi-platform image).
    public var digest: String?
    /// What the target's tag names when it is not `digest`: one platform copied out of an index.
    public var targetDigest: String?
    /// The platforms copied (all of an index's unless `--platform`; empty for a Helm chart).
    public var platforms: [String]
    public var bytesSent: Int
    public var blobsSent: Int
    public var blobsSkipped: Int
    public var blobsMounted: Int
    /// Why it failed, in the registry's words; empty when copied.
    public var detail: String

    public init(
        ref: ImageReference, target: String, outcome: MirrorOutcome, digest: String? = nil, targetDigest: String? = nil, platforms: [String] = [],
        bytesSent: Int = 0, blobsSent: Int = 0, blobsSkipped: Int = 0, blobsMounted: Int = 0, detail: String = ""
    ) {
        self.ref = ref
        self.target = target
        self.outcome = outcome
        self.digest = digest
        self.targetDigest = targetDigest
        self.platforms = platforms
        self.bytesSent = bytesSent
        self.blobsSent = blobsSent
        self.blobsSkipped = blobsSkipped
        self.blobsMounted = blobsMounted
        self.detail = detail
    }
}
