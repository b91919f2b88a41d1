import ReleaseModel

/// Where each source repository goes at a target: the source's path with the host dropped, under
/// the target's prefix (`ghcr.io/nine-minds/x` → `HOST/PREFIX/nine-minds/x`), as containerd asks a
/// mirror for it. Two registries' repositories of the same path would land on one: refused.
public enum MirrorPaths {
    public struct Collision: Error, Sendable, Equatable, CustomStringConvertible {
        public var repository: String
        public var sources: [String]
        public var description: String {
            "\(sources.joined(separator: " and ")) would both be \(repository) at the target; mirror them to two prefixes (--to HOST/PREFIX), one run per source registry"
        }
    }

    /// The target reference of `ref`: `host:port/path:tag` (the digest too when pinned).
    public static func target(of ref: ImageReference, at endpoint: RegistryEndpoint) -> String {
        let moved = ImageReference(registry: endpoint.host, repository: endpoint.repository(ref.repository), tag: ref.tag, digest: ref.digest)
        return moved.description
    }

    /// The first pair of different source repositories that land on the same target repository.
    public static func collision(_ refs: [ImageReference], at endpoint: RegistryEndpoint) -> Collision? {
        var owner: [String: String] = [:]
        for ref in refs {
            let repository = endpoint.repository(ref.repository)
            let source = "\(ref.registry)/\(ref.repository)"
            if let other = owner[repository], other != source { return Collision(repository: repository, sources: [other, source]) }
            owner[repository] = source
        }
        return nil
    }
}
