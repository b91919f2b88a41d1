import Foundation

/// A position in a text file, 1-based, as editors and GitHub annotations count them.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// RFC 6901 JSON Pointer. Kept as tokens so callers never have to escape `/` or `~` by hand.
public struct JSONPointer: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public var tokens: [String]

    public init(_ tokens: [String] = []) { self.tokens = tokens }

    public static let root = JSONPointer()

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public var description: String {
        if tokens.isEmpty { return "" }
        return tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    /// How a pointer reads in a sentence: the root has no characters of its own.
    public var displayName: String { tokens.isEmpty ? "(document root)" : description }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool { lhs.tokens.lexicographicallyPrecedes(rhs.tokens) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.tokens =
            text.isEmpty
            ? []
            : text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A JSON value together with where it starts in its file.
public struct JSONNode: Sendable {
    public var value: JSONValue
    public var location: SourceLocation

    public init(_ value: JSONValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    /// The node a pointer designates, if it exists.
    public func node(at pointer: JSONPointer) -> JSONNode? {
        var current = self
        for token in pointer.tokens {
            switch current.value {
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    public var stringValue: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = value { return b }
        return nil
    }

    /// An integral number small enough to be exact in a Double and an Int; nil for anything else
    /// (never a trap on 1e300).
    public var intValue: Int? {
        guard case .number(let n, _) = value, n.rounded() == n, abs(n) < 9.0e15 else { return nil }
        return Int(n)
    }

    /// The items of an array; none for anything else.
    public var arrayValue: [JSONNode] {
        if case .array(let items) = value { return items }
        return []
    }
}

/// One member of an object, in file order (order matters for deterministic messages and output).
public struct JSONMember: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var node: JSONNode
}

public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's literal text is kept: 1.0 and 1 are different things in a manifest.
    case number(Double, literal: String)
    case string(String)
    case array([JSONNode])
    case object([JSONMember])

    /// The JSON Schema name of this value's type.
    public var typeName: String {
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
