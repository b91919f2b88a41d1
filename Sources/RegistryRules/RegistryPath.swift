import ReleaseModel

/// A Distribution API path, as `serve-bundle` answers it: `/v2/`, and under `/v2/<name>/` a
/// manifest, a blob or the tags list. Parsed from the raw (undecoded) path: a name must be
/// repository path components and a digest `sha256:` and 64 hex digits, so no part of a path
/// can name anything outside what a bundle holds.
public enum RegistryPath: Sendable, Equatable {
    case base
    case manifest(repository: String, reference: String)
    case blob(repository: String, digest: String)
    case tags(repository: String)
    /// Under `/v2/`, but not a valid repository name (the registry's NAME_INVALID).
    case invalidName
    /// A blob path whose digest is not one, or a manifest reference that is neither tag nor digest (DIGEST_INVALID, TAG_INVALID).
    case invalidDigest(repository: String)
    /// Anything else (404 with no registry meaning).
    case unknown

    public init(_ path: String) {
        guard path.hasPrefix("/v2") else {
            self = .unknown
            return
        }
        if path == "/v2" || path == "/v2/" {
            self = .base
            return
        }
        guard path.hasPrefix("/v2/"), path.utf8.count <= 4096 else {
            self = .unknown
            return
        }
        let parts = path.dropFirst("/v2/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 3, parts[parts.count - 2] == "tags", parts[parts.count - 1] == "list" {
            self = Self.named(parts.dropLast(2)) { .tags(repository: $0) }
            return
        }
        guard parts.count >= 3 else {
            self = .unknown
            return
        }
        let kind = parts[parts.count - 2]
        let reference = parts[parts.count - 1]
        let name = parts.dropLast(2)
        switch kind {
        case "manifests":
            guard ImageReference.isTag(reference) || ImageReference.isDigest(reference) else {
                self = Self.named(name) { .invalidDigest(repository: $0) }
                return
            }
            self = Self.named(name) { .manifest(repository: $0, reference: reference) }
        case "blobs":
            guard ImageReference.isDigest(reference) else {
                self = Self.named(name) { .invalidDigest(repository: $0) }
                return
            }
            self = Self.named(name) { .blob(repository: $0, digest: reference) }
        default:
            self = .unknown
        }
    }

    private static func named(_ parts: ArraySlice<String>, _ make: (String) -> RegistryPath) -> RegistryPath {
        let name = parts.joined(separator: "/")
        return ImageReference.isRepositoryPath(name) ? make(name) : .invalidName
    }
}
