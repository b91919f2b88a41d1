/// A chart a HelmRelease pulls from an OCI registry (`HelmRepository` of `type: oci`), as the
/// reference the registry serves it under (`ghcr.io/nine-minds/charts/sebastian:0.0.1`).
public struct PlanChart: Sendable, Encodable, Equatable {
    public var ref: String
    /// The HelmRelease that pulls it (`HelmRelease alga-system/alga-core`).
    public var helmRelease: String
}
