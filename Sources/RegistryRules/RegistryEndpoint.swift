import Foundation
import ReleaseModel

/// Where a registry host is reached: the real API host (docker.io is served by registry-1.docker.io)
/// or a mirror that stands in for it.
public struct RegistryEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var baseURL: String
    public var isMirror: Bool
    /// A mirror's repository prefix: the source's `nine-minds/x` is `<prefix>/nine-minds/x` there.
    public var repositoryPrefix: String?

    public init(baseURL: String, isMirror: Bool, repositoryPrefix: String? = nil) {
        self.baseURL = baseURL
        self.isMirror = isMirror
        self.repositoryPrefix = repositoryPrefix
    }

    /// Why a mirror's address cannot be used.
    public struct Refusal: Error, Sendable {
        public var reason: String
    }

    /// A mirror's address, `http(s)://HOST[:PORT][/PREFIX]` (`--mirror`'s TARGET, `mirror --to`):
    /// a path is the repository prefix the mirror keeps the source's repositories under. Without a
    /// scheme, http for a loopback host (as Docker treats localhost), https for any other.
    public init(mirror text: String, insecure: Bool) throws(Refusal) {
        var target = text
        while target.hasSuffix("/") { target.removeLast() }
        if !target.contains("://") {
            target = TransportRule.defaultScheme(forAddress: target.split(separator: "/").first.map(String.init) ?? "") + "://" + target
        }
        guard var url = URLComponents(string: target), url.host?.isEmpty == false, url.query == nil, url.fragment == nil else {
            throw Refusal(reason: "TARGET must be http(s)://HOST[:PORT][/PREFIX]")
        }
        let prefix = String(url.path.drop { $0 == "/" })
        guard prefix != "v2", !prefix.hasPrefix("v2/") else {
            throw Refusal(reason: "give the registry's root, not its API path /v2 (a path after the host is a repository prefix)")
        }
        guard prefix.isEmpty || ImageReference.isRepositoryPath(prefix) else {
            throw Refusal(reason: "the path of TARGET, \(prefix), is not a repository prefix (lowercase path components)")
        }
        if let refusal = TransportRule.refusal(url, insecure: insecure) { throw Refusal(reason: refusal) }
        url.path = ""
        self.init(baseURL: url.string ?? target, isMirror: true, repositoryPrefix: prefix.isEmpty ? nil : prefix)
    }

    /// The registry's `host[:port]`, which credentials are looked up by.
    public var host: String {
        guard let url = URLComponents(string: baseURL), let host = url.host else { return baseURL }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// The name a source repository has at this endpoint.
    public func repository(_ name: String) -> String { repositoryPrefix.map { "\($0)/\(name)" } ?? name }

    public var description: String { baseURL + (repositoryPrefix.map { "/\($0)" } ?? "") }
}
