import Foundation

/// A schema that uses something this validator does not implement. Validating with a silently
/// ignored keyword would report "valid" for documents that are not, so it is refused up front.
public struct UnsupportedSchemaError: Error, Sendable, CustomStringConvertible {
    public var pointer: JSONPointer
    public var keyword: String
    public var description: String {
        "schema keyword '\(keyword)' at \(pointer.displayName) is not supported by alga-release's validator"
    }
}
