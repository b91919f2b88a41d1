import Foundation
import ReleaseModel

public struct DockerConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}
