/// Where an image's tag comes from. Carried as this value through the gate's policy and reports;
/// the text form (`release:app.images.<key>`, `pinned`, `--ref`) is for output only.
public enum TagSource: Sendable, Equatable, CustomStringConvertible {
    /// `app.images.<key>` of the release manifest.
    case release(key: String)
    /// A tag (and maybe a digest) fixed in the appliance model (third-party and the project's own images).
    case pinned(tag: String?, digest: String?)
    /// Given on the command line (`check --ref`): no model entry, so no tier either.
    case commandLine
    /// Pulled by a workload of the install plan (`check --repo`) that the model does not declare
    /// for it: the gate checks it, and fails it.
    case undeclared(pulledBy: String)
    /// A Helm chart a HelmRelease pulls from an OCI registry (`check --repo`).
    case chart(helmRelease: String)
    /// Named by a registry release's document at this JSON pointer (`/images/algaCore`,
    /// `/controlPlane`, `/supportAgent`).
    case document(pointer: String)
    /// A registry release's own artifacts: the release itself, its config bundle (`/config`),
    /// a chart of its `charts` (`/charts/<name>`).
    case artifact(ArtifactKind, pointer: String)

    public enum ArtifactKind: String, Sendable {
        case release, config, chart
    }

    /// The JSON pointer in a registry release's document that names this reference, if any.
    public var pointer: String? {
        switch self {
        case .document(let pointer), .artifact(_, let pointer): pointer
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .release(let key): "release:app.images.\(key)"
        case .pinned: "pinned"
        case .commandLine: "--ref"
        case .undeclared: "undeclared"
        case .chart: "chart"
        case .document(let pointer): "release:\(pointer)"
        case .artifact(let kind, _): kind.rawValue
        }
    }
}
