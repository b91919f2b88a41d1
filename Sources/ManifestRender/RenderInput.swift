import Foundation
import ReleaseModel

/// What a render needs: the release's images (from the inventory), the profile, and optionally the
/// registry lock that pins each image to the digest the gate saw.
public struct RenderInput: Sendable {
    public var releaseVersion: String
    public var profile: String
    public var images: [ResolvedImage]
    /// Inventory keys of images installed before Flux (not in the rendered tree).
    public var preFluxKeys: Set<String>
    public var lock: RegistryLock?
    /// Where the tree sits in the repository Flux syncs, as upstream lays it out
    /// (../shared/spec/upstream-charts.md §1): render's and plan's default.
    public static let defaultFluxPath = "./ee/appliance/flux"

    /// The path of the rendered tree inside the Git repository Flux reads.
    public var fluxPath: String
    /// The GitRepository the tier Kustomizations read (the bootstrap creates it; the model names it).
    public var sourceName: String

    public init(
        releaseVersion: String, profile: String, images: [ResolvedImage], preFluxKeys: Set<String>, lock: RegistryLock?,
        fluxPath: String = RenderInput.defaultFluxPath, sourceName: String
    ) {
        self.releaseVersion = releaseVersion
        self.profile = profile
        self.images = images
        self.preFluxKeys = preFluxKeys
        self.lock = lock
        self.fluxPath = fluxPath
        self.sourceName = sourceName
    }
}
