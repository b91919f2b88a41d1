/// The four manifest media types. Every one must be in Accept: a registry answers a tag whose type
/// is missing from Accept with 404 MANIFEST_UNKNOWN (GHCR, Distribution), which is how the original
/// check reported existing images as missing.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    /// The config of a Helm chart pushed to an OCI registry (`helm push`): an OCI manifest whose
    /// one layer is the chart's tarball. The appliance pulls charts from `oci://` HelmRepositories too.
    public static let helmChartConfig = "application/vnd.cncf.helm.config.v1+json"
    /// The layer of a Helm chart: the chart's .tgz, one top folder named after the chart.
    public static let helmChartContent = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    /// A registry release (`oras push --artifact-type`): the release document is the config blob.
    public static let algaReleaseArtifact = "application/vnd.alga.appliance.release.v1"
    public static let algaReleaseConfig = "application/vnd.alga.appliance.release.config.v1+json"
    /// A Flux artifact (`flux push artifact`, RFC-0003): the config bundle a release pins.
    public static let fluxConfig = "application/vnd.cncf.flux.config.v1+json"
    public static let fluxContent = "application/vnd.cncf.flux.content.v1.tar+gzip"

    /// The config media types of artifacts that are not container images (no platform to check).
    public static let artifactConfigs: Set<String> = [helmChartConfig, fluxConfig, algaReleaseConfig]

    /// What an OCI manifest is, by its artifactType or config media type, in words for an error.
    public static func kind(artifactType: String?, config: String?) -> String {
        switch artifactType ?? config {
        case algaReleaseArtifact, algaReleaseConfig: "an Alga release"
        case fluxConfig: "a Flux artifact (a config bundle)"
        case helmChartConfig: "a Helm chart"
        case "application/vnd.oci.image.config.v1+json", "application/vnd.docker.container.image.v1+json": "a container image"
        case let other?: "an artifact of type \(other)"
        case nil: "a manifest without a config"
        }
    }

    public static let accept = [ociIndex, dockerList, ociManifest, dockerManifest].joined(separator: ", ")

    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerList }
    static func isManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }
}
