import ApplianceModel
import Foundation
import JSONDocument

/// The outcome of validating one release: every error and warning, and the typed pieces later
/// commands need (present when the manifest and the appliance model could be read at all).
public struct ValidationReport: Sendable {
    public var release: String
    public var location: ReleaseLocation
    public var diagnostics: [Diagnostic]
    public var manifest: ReleaseManifest?
    /// The appliance model and its images (`releases/appliance.json`).
    public var declaration: ApplianceDeclaration?
    /// The parsed release.json, for locating findings by line.
    public var document: JSONNode?
    /// Where the appliance model was looked for when there was none (validated without it).
    public var missingModel: String?
    /// The schema file the release was validated against.
    public var schemaFile: String = ""
    /// The appliance model file read (or looked for).
    public var modelFile: String?
    /// A registry release's document (`manifest` is nil then): its tags resolve the images.
    public var registryDocument: RegistryReleaseDocument?

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Whether a warning counts as an error: `--strict` promotes the release's own findings (its
    /// manifest, its channels), `--strict-inventory` the image inventory's, which belong to this
    /// project and not to any one release.
    public func isPromoted(_ diagnostic: Diagnostic, strict: Bool, strictInventory: Bool) -> Bool {
        guard diagnostic.severity == .warning else { return false }
        return diagnostic.file == modelFile ? strictInventory : strict
    }

    public var inventory: ImageInventory? { declaration?.inventory }
    public var model: ApplianceModel? { declaration?.model }

    public func passes(strict: Bool, strictInventory: Bool = false) -> Bool {
        errors.isEmpty && !warnings.contains { isPromoted($0, strict: strict, strictInventory: strictInventory) }
    }

    /// Inventory keys of images the bootstrap installs before Flux (not in the rendered tree).
    public var preFluxKeys: Set<String> { Set(inventory?.entries.filter(\.preFlux).map(\.key) ?? []) }

    /// Of `images` (this release's), those the rendered tree deploys: all but the bootstrap's.
    public func fluxImages(_ images: [ResolvedImage]) -> [ResolvedImage] {
        let preFlux = preFluxKeys
        return images.filter { !preFlux.contains($0.key) }
    }

    /// A registry release's images: each says the pointer of the document that names its tag, and
    /// the support agent (pinned by digest in the document) is one of them.
    static func registryImages(_ images: [ResolvedImage], _ document: RegistryReleaseDocument) -> [ResolvedImage] {
        var out = images.map { image -> ResolvedImage in
            var image = image
            if case .release(let key) = image.source { image.source = .document(pointer: key == "controlPlane" ? "/controlPlane" : "/images/\(key)") }
            return image
        }
        if let agent = document.supportAgent, let ref = try? ImageReference(parsing: agent) {
            out.append(ResolvedImage(ref: ref, key: "supportAgent", tier: nil, loginBlocking: nil, source: .document(pointer: "/supportAgent"), uses: []))
        }
        return out
    }

    /// The images of this release, or nil when the release or inventory is not usable.
    public var images: [ResolvedImage]? {
        guard let inventory, errors.isEmpty else { return nil }
        if let registryDocument { return Self.registryImages(inventory.resolve(tags: registryDocument.tag(for:)).images, registryDocument) }
        guard let manifest else { return nil }
        return inventory.resolve(for: manifest).images
    }
}
