import Foundation

extension DecodingError {
    /// The path and what was wrong, in words (`.items[3].metadata.name: missing`), for messages
    /// that name the field to fix instead of printing Swift's error dump.
    public var readable: String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the document" : p
        }
        switch self {
        case .typeMismatch(let type, let c): return "\(path(c)): expected \(Self.name(of: type)), found something else"
        case .valueNotFound(_, let c): return "\(path(c)): missing value (null)"
        case .keyNotFound(let key, let c): return "\(path(c) == "the document" ? "" : path(c)).\(key.stringValue): missing"
        case .dataCorrupted(let c): return "\(path(c)): \(c.underlyingError.map { _ in "not valid" } ?? c.debugDescription)"
        @unknown default: return "cannot be decoded"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: String(describing: type).contains("Array") ? "a list" : "an object"
        }
    }
}
