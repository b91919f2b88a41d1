import Foundation
import ReleaseModel

/// `--mirror SOURCE=TARGET` rules, checked once when parsed.
public struct MirrorMap: Sendable {
    private var targets: [String: RegistryEndpoint] = [:]

    public init() {}

    /// - Parameter insecure: allows `http://` to a host that is not loopback.
    public mutating func add(_ argument: String, insecure: Bool) throws(MirrorError) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw MirrorError(argument: argument, reason: "expected SOURCE=TARGET, e.g. ghcr.io=http://127.0.0.1:5000")
        }
        do {
            targets[parts[0].lowercased()] = try RegistryEndpoint(mirror: parts[1], insecure: insecure)
        } catch {
            throw MirrorError(argument: argument, reason: error.reason)
        }
    }

    public func endpoint(for registry: String) -> RegistryEndpoint {
        if let mirror = targets[registry.lowercased()] { return mirror }
        let host = registry == "docker.io" ? "registry-1.docker.io" : registry
        return RegistryEndpoint(baseURL: "\(TransportRule.defaultScheme(forAddress: host))://\(host)", isMirror: false)
    }
}
