import Foundation

/// One member of an object, in file order (order matters for deterministic messages and output).
public struct JSONMember: Sendable {
    public var key: String
    var keyLocation: SourceLocation
    public var node: JSONNode
}
