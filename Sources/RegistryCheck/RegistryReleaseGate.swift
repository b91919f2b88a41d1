import Foundation
import RegistryRules
import ReleaseModel

/// The gate of a registry release's closure: the release artifact (read once, by digest from then
/// on), the config bundle it pins (by digest, and that it is a Flux artifact), every chart of its
/// `charts` (the version tag, and that it is a Helm chart), and every image it names (the model's,
/// the control plane, the support agent by digest). Each entry says which JSON pointer of the
/// document names it, so a failure points at the line to fix. Through the gate's own client,
/// classification and policy.
public enum RegistryReleaseGate {
    /// The references a release's closure is checked at, artifacts first, in a fixed order.
    public static func closure(_ read: RegistryReleaseReader.Read, document: RegistryReleaseDocument, images: [ResolvedImage]) -> [ResolvedImage] {
        var entries = [artifact(read.pinned.image, .release, key: "release", pointer: "")]
        if let config = try? ImageReference(parsing: "\(document.config.repository)@\(document.config.digest)") {
            entries.append(artifact(config, .config, key: "config", pointer: "/config/digest"))
        }
        for chart in document.charts {
            var ref = read.asked.sibling("charts/\(chart.name)")
            ref.tag = ImageReference.helmChartTag(chart.version)
            entries.append(artifact(ref, .chart, key: "chart:\(chart.name)", pointer: "/charts/\(chart.name)"))
        }
        return entries + images
    }

    static func artifact(_ ref: ImageReference, _ kind: TagSource.ArtifactKind, key: String, pointer: String) -> ResolvedImage {
        // No tier: an artifact of the closure is needed by every tier, so every policy requires it.
        ResolvedImage(ref: ref, key: key, tier: nil, loginBlocking: nil, source: .artifact(kind, pointer: pointer), uses: [])
    }

    /// The config media type each kind of artifact must have.
    static func expectedConfig(_ kind: TagSource.ArtifactKind) -> String {
        switch kind {
        case .release: MediaType.algaReleaseConfig
        case .config: MediaType.fluxConfig
        case .chart: MediaType.helmChartConfig
        }
    }

    /// Checks the closure; the release itself is reported as it was read (not asked again).
    public static func check(
        _ read: RegistryReleaseReader.Read, closure: [ResolvedImage], options: SourceOptions, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async -> [CheckedImage] {
        let rest = closure.filter { if case .artifact(.release, _) = $0.source { false } else { true } }
        var checked = await RegistryGate.check(rest, options: options, progress: progress).map(judgeKind)
        if let release = closure.first(where: { if case .artifact(.release, _) = $0.source { true } else { false } }) {
            let result = CheckResult(
                status: .present, digest: read.manifestDigest, mediaType: MediaType.ociManifest, platforms: [],
                detail: "the release (\(MediaType.algaReleaseArtifact)), read once; its document is config \(read.configDigest)", auth: read.auth,
                configMediaType: MediaType.algaReleaseConfig)
            checked.insert(CheckedImage(image: release, result: result), at: 0)
        }
        return checked
    }

    /// A present artifact of the wrong kind is `wrong_kind`: the appliance would refuse it.
    static func judgeKind(_ checked: CheckedImage) -> CheckedImage {
        guard case .artifact(let kind, _) = checked.image.source, checked.result.status == .present else { return checked }
        let expected = expectedConfig(kind)
        guard checked.result.configMediaType != expected else { return checked }
        var judged = checked
        judged.result.status = .wrongKind
        judged.result.detail =
            "it is \(MediaType.kind(artifactType: nil, config: checked.result.configMediaType ?? checked.result.mediaType)), not \(MediaType.kind(artifactType: nil, config: expected)) (config \(expected))"
        return judged
    }
}
