/// A release published in a registry: `oci://HOST/REPOSITORY:TAG` or `oci://HOST/REPOSITORY@sha256:HEX`
/// (the `RELEASE` argument of validate, images, check, plan, diff), or `oci://HOST/REPOSITORY` for
/// `list`. The host is always written: a registry release has no default registry.
public struct RegistryReleaseReference: Sendable, Equatable, CustomStringConvertible {
    public static let scheme = "oci://"
    /// The repository upstream publishes releases under, below its namespace.
    public static let releaseRepositoryName = "alga-appliance-release"
    /// The config bundle's and the control plane's repositories, beside it.
    public static let configRepositoryName = "alga-appliance-config"
    public static let controlPlaneRepositoryName = "alga-appliance-control-plane"

    /// Registry, repository, and the tag or digest (`image.tag` and `image.digest` nil for `list`).
    public var image: ImageReference

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notOCI
        case noHost(String)
        case invalid(String, ImageReference.ParseError)
        case noReference(String)

        public var description: String {
            switch self {
            case .notOCI: "a registry release is named oci://HOST/REPOSITORY:TAG or oci://HOST/REPOSITORY@sha256:HEX"
            case .noHost(let text): "\(text) names no registry host (oci://ghcr.io/nine-minds/alga-appliance-release:stable)"
            case .invalid(let text, let error): "\(text) is not a registry reference: \(error)"
            case .noReference(let text): "\(text) names no tag or digest (add :stable, :1.0.3 or @sha256:...)"
            }
        }
    }

    /// Whether a release argument names a registry release.
    public static func isRegistryRelease(_ argument: String) -> Bool { argument.hasPrefix(scheme) }

    /// - Parameter requireReference: whether a tag or digest must be given (every command but `list`).
    public init(parsing text: String, requireReference: Bool = true) throws(ParseError) {
        guard text.hasPrefix(Self.scheme) else { throw .notOCI }
        let rest = String(text.dropFirst(Self.scheme.count))
        guard let first = rest.split(separator: "/", maxSplits: 1).first, rest.contains("/"),
            first.contains(".") || first.contains(":") || first == "localhost"
        else { throw .noHost(text) }
        do { image = try ImageReference(parsing: rest) } catch { throw .invalid(text, error) }
        if requireReference && image.tag == nil && image.digest == nil { throw .noReference(text) }
    }

    public init(image: ImageReference) { self.image = image }

    /// The namespace the release's artifacts share (`ghcr.io/nine-minds` for
    /// `ghcr.io/nine-minds/alga-appliance-release`): where the control plane lives.
    public var namespace: (registry: String, path: String) {
        let parts = image.repository.split(separator: "/")
        return (image.registry, parts.dropLast().joined(separator: "/"))
    }

    /// Another repository of the release's namespace (`alga-appliance-control-plane`).
    public func sibling(_ name: String) -> ImageReference {
        let path = namespace.path
        return ImageReference(registry: image.registry, repository: path.isEmpty ? name : "\(path)/\(name)", tag: nil)
    }

    public var description: String { Self.scheme + image.description }

    /// The same release pinned to the digest it was read at (one run reads a tag once).
    public func pinned(_ digest: String) -> RegistryReleaseReference {
        var pinned = image
        pinned.digest = digest
        return RegistryReleaseReference(image: pinned)
    }
}
