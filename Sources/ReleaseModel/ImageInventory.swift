import ApplianceModel
import JSONDocument

/// Every image the appliance runs, from the images of `releases/appliance.json` (ApplianceDeclaration
/// loads it). The registry gate, the renderer and the manifest linter read it, so a repository,
/// a tag source or a value path is written down exactly once.
public struct ImageInventory: Sendable {
    public var entries: [InventoryEntry]
    /// The model file the entries come from.
    public var file: String
    /// The parsed model file, for lint locations.
    public var document: JSONNode

    public init(entries: [InventoryEntry], file: String, document: JSONNode) {
        self.entries = entries
        self.file = file
        self.document = document
    }

    /// Every image with its tag for `release`, in model order. Release keys the manifest does not
    /// define are reported, never silently skipped.
    public func resolve(for release: ReleaseManifest) -> (images: [ResolvedImage], missingKeys: [InventoryEntry]) { resolve(tags: release.tag(for:)) }

    /// The images with their tags from `tags` (a release's key → tag: a git release's
    /// `app.images`, a registry release's `images` and `controlPlane`).
    public func resolve(tags: (String) -> String?) -> (images: [ResolvedImage], missingKeys: [InventoryEntry]) {
        var images: [ResolvedImage] = []
        var missing: [InventoryEntry] = []
        for entry in entries {
            var ref = entry.repository
            switch entry.source {
            case .release(let key):
                guard let tag = tags(key) else {
                    missing.append(entry)
                    continue
                }
                ref.tag = tag
            case .pinned(let tag, let digest):
                ref.tag = tag
                ref.digest = digest
            case .commandLine, .undeclared, .chart, .document, .artifact:
                break
            }
            images.append(
                ResolvedImage(ref: ref, key: entry.key, tier: entry.tier, loginBlocking: entry.loginBlocking, source: entry.source, uses: entry.uses))
        }
        return (images, missing)
    }
}
