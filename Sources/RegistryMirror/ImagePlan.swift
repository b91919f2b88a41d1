import RegistryRules
import ReleaseModel

/// What copying one image takes, read from the source before anything is sent.
struct ImagePlan: Sendable {
    var ref: ImageReference
    var source: RegistrySide
    /// The source's digest of what the reference names.
    var digest: String
    /// Pushed by digest in this order: children first, the index last.
    var manifests: [ManifestBytes]
    /// What the tag names at the target (nil for a reference with a digest and no tag).
    var tagged: ManifestBytes?
    /// Every blob of every manifest copied, each once.
    var blobs: [RegistryLock.Blob]
    var platforms: [String]
}
