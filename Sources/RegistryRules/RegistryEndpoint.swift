import Foundation

/// Where a registry host is reached: the real API host (docker.io is served by registry-1.docker.io)
/// or a mirror that stands in for it.
public struct RegistryEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var baseURL: String
    public var isMirror: Bool

    public var description: String { baseURL }
}
