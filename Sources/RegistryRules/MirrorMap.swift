import Foundation

/// `--mirror SOURCE=TARGET` rules, checked once when parsed.
public struct MirrorMap: Sendable {
    private var targets: [String: String] = [:]

    public init() {}

    /// - Parameter insecure: allows `http://` to a host that is not loopback.
    public mutating func add(_ argument: String, insecure: Bool) throws(MirrorError) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw MirrorError(argument: argument, reason: "expected SOURCE=TARGET, e.g. ghcr.io=http://127.0.0.1:5000")
        }
        var target = parts[1]
        while target.hasSuffix("/") { target.removeLast() }
        guard let url = URLComponents(string: target), url.path.isEmpty, url.query == nil else {
            throw MirrorError(argument: argument, reason: "TARGET must be http(s)://HOST[:PORT] with no path")
        }
        if let refusal = TransportRule.refusal(url, insecure: insecure) {
            throw MirrorError(argument: argument, reason: refusal)
        }
        targets[parts[0].lowercased()] = target
    }

    public func endpoint(for registry: String) -> RegistryEndpoint {
        if let mirror = targets[registry.lowercased()] { return RegistryEndpoint(baseURL: mirror, isMirror: true) }
        let host = registry == "docker.io" ? "registry-1.docker.io" : registry
        return RegistryEndpoint(baseURL: "https://\(host)", isMirror: false)
    }
}
