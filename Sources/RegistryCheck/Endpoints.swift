import Foundation

/// Where a registry host is reached: the real API host (docker.io is served by registry-1.docker.io)
/// or a mirror that stands in for it.
public struct RegistryEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var baseURL: String
    public var isMirror: Bool

    public var description: String { baseURL }
}

public struct MirrorError: Error, Sendable, CustomStringConvertible {
    public var argument: String
    public var reason: String
    public var description: String { "--mirror \(argument): \(reason)" }
}

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
        guard let url = URL(string: target), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.path.isEmpty
        else {
            throw MirrorError(argument: argument, reason: "TARGET must be http(s)://HOST[:PORT] with no path")
        }
        if scheme == "http" && !insecure && !Self.isLoopback(host) {
            throw MirrorError(
                argument: argument, reason: "plain http is allowed only to a loopback address (127.0.0.0/8, ::1, localhost); add --insecure to allow \(host)")
        }
        targets[parts[0].lowercased()] = target
    }

    public func endpoint(for registry: String) -> RegistryEndpoint {
        if let mirror = targets[registry.lowercased()] { return RegistryEndpoint(baseURL: mirror, isMirror: true) }
        let host = registry == "docker.io" ? "registry-1.docker.io" : registry
        return RegistryEndpoint(baseURL: "https://\(host)", isMirror: false)
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if h == "localhost" || h == "::1" { return true }
        let octets = h.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
