import Foundation

public struct MirrorError: Error, Sendable, CustomStringConvertible {
    public var argument: String
    public var reason: String
    public var description: String { "--mirror \(argument): \(reason)" }
}
