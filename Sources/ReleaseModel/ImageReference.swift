/// A fully qualified image reference. The registry host is always explicit, so `redis:7.4` is held
/// and shown as `docker.io/library/redis:7.4`: what is checked is exactly what the node pulls.
public struct ImageReference: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// Docker Hub's other names (`index.docker.io` in Docker configs, `registry-1.docker.io` its API
    /// host) are `docker.io`: one name per registry, for references and credentials alike.
    public static func canonicalRegistry(_ host: String) -> String {
        host == "index.docker.io" || host == "registry-1.docker.io" ? "docker.io" : host
    }

    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: String?

    public init(registry: String, repository: String, tag: String?, digest: String? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case uppercase(String)
        case invalidRepository(String)
        case invalidTag(String)
        case invalidDigest(String)

        public var description: String {
            switch self {
            case .empty: "an empty image reference"
            case .uppercase(let s):
                "\"\(s)\": repository names must be lowercase (registries refuse or mangle uppercase: write nine-minds, not Nine-Minds)"
            case .invalidRepository(let s): "\"\(s)\" is not a valid repository name"
            case .invalidTag(let s): "\"\(s)\" is not a valid tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"
            case .invalidDigest(let s): "\"\(s)\" is not a valid digest (expected sha256: and 64 lowercase hex digits)"
            }
        }
    }

    /// Parses the reference grammar of the distribution project: `[host[:port]/]path[:tag][@digest]`.
    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let d = String(rest[rest.index(after: at)...])
            guard Self.isDigest(d) else { throw .invalidDigest(d) }
            digest = d
            rest = rest[..<at]
        }
        var tag: String?
        // A ':' after the last '/' starts the tag; one before it belongs to a host:port.
        if let colon = rest.lastIndex(of: ":"), rest[colon...].firstIndex(of: "/") == nil {
            let t = String(rest[rest.index(after: colon)...])
            guard Self.isTag(t) else { throw .invalidTag(t) }
            tag = t
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry = "docker.io"
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost" || first.first?.isUppercase == true
        {
            registry = first.lowercased()
            components.removeFirst()
        }
        registry = Self.canonicalRegistry(registry)
        if registry == "docker.io" && components.count == 1 { components.insert("library", at: 0) }
        let repository = components.joined(separator: "/")
        guard components.allSatisfy(Self.isPathComponent) else {
            if repository.lowercased() != repository && components.allSatisfy({ Self.isPathComponent($0.lowercased()) }) {
                throw .uppercase(text)
            }
            throw .invalidRepository(text)
        }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    public var description: String {
        var s = "\(registry)/\(repository)"
        if let tag { s += ":\(tag)" }
        if let digest { s += "@\(digest)" }
        return s
    }

    /// The tag a Helm chart version is pushed under: OCI tags have no '+', so Helm writes it '_'.
    public static func helmChartTag(_ version: String) -> String { version.replacingOccurrences(of: "+", with: "_") }

    /// The reference without its digest: what a tag check asks the registry about.
    public var taggedReference: ImageReference { ImageReference(registry: registry, repository: repository, tag: tag) }

    /// Tags that can move under the same name, which a release cannot pin.
    public var hasMutableTag: Bool { tag == nil || tag == "latest" }

    public static func < (a: ImageReference, b: ImageReference) -> Bool { a.description < b.description }

    /// A repository name (or a prefix of one): path components separated by '/'.
    public static func isRepositoryPath(_ s: String) -> Bool {
        !s.isEmpty && s.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { isPathComponent(String($0)) }
    }

    // The three grammars below are distribution's (`[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*`,
    // `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, `sha256:[a-f0-9]{64}`), checked byte by byte: every
    // character they accept is ASCII, so a whole match over UTF-8 bytes is a whole match over
    // Characters. Not `Regex` literals: one is parsed again each time it runs, and the status
    // server reads an image reference for every pod it sizes (`ReferenceGrammarTests` compares them).

    static func isPathComponent(_ s: String) -> Bool {
        // [a-z0-9]+ separated by '.', '_', '__' or one or more '-'
        var separator: [UInt8] = []
        var sawAlphanumeric = false
        for byte in s.utf8 {
            if isLowerAlphanumeric(byte) {
                guard separator.isEmpty || isSeparator(separator) else { return false }
                separator.removeAll(keepingCapacity: true)
                sawAlphanumeric = true
            } else {
                guard sawAlphanumeric, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else { return false }
                separator.append(byte)
            }
        }
        return sawAlphanumeric && separator.isEmpty
    }

    /// `.`, `_`, `__` or one or more `-`.
    private static func isSeparator(_ s: [UInt8]) -> Bool {
        s == [UInt8(ascii: ".")] || s == [UInt8(ascii: "_")] || s == [UInt8(ascii: "_"), UInt8(ascii: "_")] || s.allSatisfy { $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    public static func isTag(_ s: String) -> Bool {
        let bytes = s.utf8
        guard let first = bytes.first, bytes.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy {
            isLowerAlphanumeric($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "-")
        }
    }

    public static func isDigest(_ s: String) -> Bool {
        let bytes = s.utf8
        return bytes.count == 71 && s.hasPrefix("sha256:")
            && bytes.dropFirst(7).allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
