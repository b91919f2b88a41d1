/// Why a byte sequence is not a JSON document, with where it went wrong.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case empty
        case notUTF8
        case truncated
        case unexpectedCharacter
        case invalidString
        case invalidNumber
        case trailingContent
        case tooDeep
    }

    public var kind: Kind
    public var message: String
    public var location: SourceLocation
    /// The object or array being read when the error happened.
    public var pointer: JSONPointer

    public var description: String {
        let inside = pointer.tokens.isEmpty ? "" : " (inside \(pointer))"
        return "line \(location.line), column \(location.column): \(message)\(inside)"
    }
}
