import Foundation

/// One file whose committed bytes differ from a fresh render.
public struct Drift: Sendable, Equatable {
    public var path: String
    /// `diff -u` of committed (a/) against rendered (b/).
    public var diff: String
}
