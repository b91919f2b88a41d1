/// What a plan problem is about: a fixed set, each with a stable name for `--format json` and CI.
public enum PlanRule: String, Sendable, Encodable, CaseIterable {
    /// A workload pulls an image the model does not declare for it.
    case undeclaredImage = "plan.undeclared-image"
    /// The model declares an image for a Flux-installed component and no workload pulls it.
    case unpulledImage = "plan.unpulled-image"
    /// An object the tree refers to that neither the tree, a chart nor the bootstrap provides.
    case missingReference = "plan.missing-reference"
    /// A Flux Kustomization's path does not exist in the repository.
    case kustomizationPath = "plan.kustomization-path"
    /// An image with no tag, or `latest`, and no digest: a restart may pull something else.
    case mutableImage = "plan.mutable-image"
    /// An image value path the model sets that changes nothing in the chart's output.
    case deadValue = "plan.dead-value"
    /// A pod misses what the model says it needs (Temporal's service links off, autosetup).
    case podRequirement = "plan.pod-requirement"
    /// A chart the plan cannot render offline (from a HelmRepository, or not in the repository).
    case chartSource = "plan.chart-source"
    /// A kustomization or chart names a file whose real path is outside the repository.
    case outsideRepository = "plan.outside-repository"
    /// A kustomization names a remote resource (a URL, a git repository): the plan is offline.
    case remoteResource = "plan.remote-resource"
    /// The plan reached one of its bounds and did not read on: what lies past it is not judged.
    case bound = "plan.bound"
    /// A registry release's `charts` disagrees with what the bundle's HelmReleases pull.
    case releaseCharts = "plan.release-charts"

    /// A problem of this rule means part of the tree was not read: the plan's images are not all
    /// the appliance's, so a gate or a copy of them (`check --repo`, `mirror --repo`) cannot go on.
    public var leavesPlanIncomplete: Bool { [.bound, .outsideRepository, .remoteResource].contains(self) }
}
