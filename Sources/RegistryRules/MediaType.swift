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

    public static let accept = [ociIndex, dockerList, ociManifest, dockerManifest].joined(separator: ", ")

    public static func isIndex(_ type: String) -> Bool { type == ociIndex || type == dockerList }
    static func isManifest(_ type: String) -> Bool { type == ociManifest || type == dockerManifest }
}
