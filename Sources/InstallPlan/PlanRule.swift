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
}
