import Foundation

public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's literal text is kept: 1.0 and 1 are different things in a manifest.
    case number(Double, literal: String)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])

    /// The JSON Schema name of this value's type.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let n, _): n.rounded() == n && abs(n) < 9.0e15 ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// How a found value is quoted back to the user: short, and never a whole sub-document.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(_, let literal): return "number \(literal)"
        case .string(let s):
            let shown = s.count > 60 ? String(s.prefix(57)) + "..." : s
            return "string \"\(shown)\""
        case .array(let items): return "an array of \(items.count) item\(items.count == 1 ? "" : "s")"
        case .object(let members): return "an object with \(members.count) member\(members.count == 1 ? "" : "s")"
        }
    }
}
