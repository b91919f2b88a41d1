import Foundation

/// A JSON Schema (draft 2020-12) validator for the subset release manifests use. Unlike most
/// validators it enforces `format` (date-time, uri) instead of treating it as an annotation, and it
/// reports every violation, not the first.
public struct JSONSchema: Sendable {
    public let root: JSONNode

    static let annotationKeywords: Set<String> = ["$schema", "$id", "$comment", "title", "description", "examples", "default"]
    static let assertionKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "pattern", "enum", "const", "minLength",
        "maxLength", "format", "items", "minItems", "maxItems", "minimum", "maximum", "uniqueItems",
    ]
    static let supportedFormats: Set<String> = ["date-time", "uri"]

    public init(_ root: JSONNode) throws(UnsupportedSchemaError) {
        self.root = root
        try Self.checkSupported(root, at: .root)
    }

    private static func checkSupported(_ schema: JSONNode, at pointer: JSONPointer) throws(UnsupportedSchemaError) {
        if case .bool = schema.value { return }
        guard case .object(let members) = schema.value else {
            throw UnsupportedSchemaError(pointer: pointer, keyword: "(a schema must be an object or a boolean)")
        }
        for member in members {
            let here = pointer.appending(member.key)
            if annotationKeywords.contains(member.key) { continue }
            guard assertionKeywords.contains(member.key) else {
                throw UnsupportedSchemaError(pointer: pointer, keyword: member.key)
            }
            switch member.key {
            case "properties":
                guard case .object(let properties) = member.node.value else {
                    throw UnsupportedSchemaError(pointer: here, keyword: "properties (must be an object)")
                }
                for property in properties { try checkSupported(property.node, at: here.appending(property.key)) }
            case "additionalProperties", "items":
                try checkSupported(member.node, at: here)
            case "format":
                guard let format = member.node.stringValue, supportedFormats.contains(format) else {
                    throw UnsupportedSchemaError(pointer: here, keyword: "format \(member.node.value.summary)")
                }
            case "pattern":
                guard let pattern = member.node.stringValue, (try? Regex(pattern)) != nil else {
                    throw UnsupportedSchemaError(pointer: here, keyword: "pattern (not a valid regular expression)")
                }
            default:
                break
            }
        }
    }

    /// Every violation of the schema by `instance`, in document order, up to `limit` per keyword
    /// and in all; the rest are counted in one closing violation per keyword (`omitted`).
    public func validate(_ instance: JSONNode, limit: DiagnosticLimit = .default) -> [SchemaViolation] {
        var violations = Violations(counter: .init(limit))
        Self.validate(instance, at: .root, against: root, into: &violations)
        return violations.kept
            + violations.counter.omitted.map { rule, count in
                SchemaViolation(pointer: .root, location: instance.location, keyword: rule, found: "", expected: "", omitted: count)
            }
    }

    /// The violations kept so far, and the count of those that were not.
    struct Violations {
        var kept: [SchemaViolation] = []
        var counter: DiagnosticLimit.Counter

        mutating func append(_ violation: SchemaViolation) {
            if counter.admit(violation.keyword) { kept.append(violation) }
        }
    }

    private static func validate(
        _ instance: JSONNode, at pointer: JSONPointer, against schema: JSONNode, into violations: inout Violations
    ) {
        func report(_ keyword: String, expected: String, found: String? = nil, at node: JSONNode? = nil, pointer p: JSONPointer? = nil) {
            let target = node ?? instance
            violations.append(
                SchemaViolation(
                    pointer: p ?? pointer, location: target.location, keyword: keyword,
                    found: found ?? target.value.summary, expected: expected))
        }

        if case .bool(let allowed) = schema.value {
            if !allowed { report("false", expected: "nothing (this member is not allowed)") }
            return
        }

        if let typeNode = schema["type"] {
            let allowed: [String]
            switch typeNode.value {
            case .string(let t): allowed = [t]
            case .array(let items): allowed = items.compactMap(\.stringValue)
            default: allowed = []
            }
            let actual = instance.value.typeName
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches {
                report("type", expected: allowed.map(article).joined(separator: " or "))
                // Further keywords would only repeat the type error in other words.
                return
            }
        }

        if let constNode = schema["const"], !equal(constNode, instance) {
            report("const", expected: "exactly \(constNode.value.summary)")
        }
        if let enumNode = schema["enum"], case .array(let options) = enumNode.value,
            !options.contains(where: { equal($0, instance) })
        {
            report("enum", expected: "one of " + options.map { $0.value.summary }.joined(separator: ", "))
        }

        switch instance.value {
        case .string(let string):
            validateString(string, against: schema, report: report)
        case .number(let number, _):
            if let minimum = schema["minimum"], case .number(let bound, let literal) = minimum.value, number < bound {
                report("minimum", expected: "a number >= \(literal)")
            }
            if let maximum = schema["maximum"], case .number(let bound, let literal) = maximum.value, number > bound {
                report("maximum", expected: "a number <= \(literal)")
            }
        case .array(let items):
            if let min = schema["minItems"].flatMap(intValue), items.count < min {
                report("minItems", expected: "at least \(min) item\(min == 1 ? "" : "s")")
            }
            if let max = schema["maxItems"].flatMap(intValue), items.count > max {
                report("maxItems", expected: "at most \(max) item\(max == 1 ? "" : "s")")
            }
            if case .bool(true) = schema["uniqueItems"]?.value {
                for (i, item) in items.enumerated() where items[..<i].contains(where: { equal($0, item) }) {
                    report("uniqueItems", expected: "no duplicate items", at: item, pointer: pointer.appending(i))
                }
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() {
                    validate(item, at: pointer.appending(i), against: itemSchema, into: &violations)
                }
            }
        case .object(let members):
            validateObject(members, instance: instance, at: pointer, against: schema, into: &violations)
        case .null, .bool:
            break
        }
    }

    private static func validateObject(
        _ members: [JSONMember], instance: JSONNode, at pointer: JSONPointer, against schema: JSONNode,
        into violations: inout Violations
    ) {
        var properties: [String: JSONNode] = [:]
        if case .object(let declared) = schema["properties"]?.value {
            for property in declared { properties[property.key] = property.node }
        }
        if case .array(let required) = schema["required"]?.value {
            let present = Set(members.map(\.key))
            for name in required.compactMap(\.stringValue) where !present.contains(name) {
                violations.append(
                    SchemaViolation(
                        pointer: pointer.appending(name), location: instance.location, keyword: "required",
                        found: "nothing (the member is missing)",
                        expected: "the required member \"\(name)\"\(properties[name].map { " (" + describe($0) + ")" } ?? "")"))
            }
        }
        let additional = schema["additionalProperties"]
        for member in members {
            let here = pointer.appending(member.key)
            if let propertySchema = properties[member.key] {
                validate(member.node, at: here, against: propertySchema, into: &violations)
            } else if let additional {
                if case .bool(false) = additional.value {
                    let allowed = properties.keys.sorted().joined(separator: ", ")
                    violations.append(
                        SchemaViolation(
                            pointer: here, location: member.keyLocation, keyword: "additionalProperties",
                            found: "the unknown member \"\(member.key)\"",
                            expected: "only the members \(allowed) (remove it or fix its spelling)"))
                } else {
                    validate(member.node, at: here, against: additional, into: &violations)
                }
            }
        }
    }

    private static func validateString(
        _ string: String, against schema: JSONNode,
        report: (String, String, String?, JSONNode?, JSONPointer?) -> Void
    ) {
        let length = string.unicodeScalars.count
        if let min = schema["minLength"].flatMap(intValue), length < min {
            report("minLength", min == 1 ? "a non-empty string" : "a string of at least \(min) characters", nil, nil, nil)
        }
        if let max = schema["maxLength"].flatMap(intValue), length > max {
            report("maxLength", "a string of at most \(max) characters", nil, nil, nil)
        }
        if let pattern = schema["pattern"]?.stringValue, let regex = try? Regex(pattern), (try? regex.firstMatch(in: string)) == nil {
            report("pattern", "a string matching \(pattern)", nil, nil, nil)
        }
        switch schema["format"]?.stringValue {
        case "date-time" where !Formats.isDateTime(string):
            report("format", "an RFC 3339 date-time such as 2026-03-25T00:00:00Z", nil, nil, nil)
        case "uri" where !Formats.isURI(string):
            report("format", "an absolute URI (RFC 3986) such as https://factory.talos.dev/image/...", nil, nil, nil)
        default:
            break
        }
    }

    /// A short description of what a property schema asks for, used when the member is missing.
    private static func describe(_ schema: JSONNode) -> String {
        var parts: [String] = []
        if let type = schema["type"]?.stringValue { parts.append(article(type)) }
        if let pattern = schema["pattern"]?.stringValue { parts.append("matching \(pattern)") }
        if let format = schema["format"]?.stringValue { parts.append("in \(format) format") }
        return parts.joined(separator: " ")
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "object", "array", "integer": "an \(type)"
        case "null": "null"
        default: "a \(type)"
        }
    }

    private static func intValue(_ node: JSONNode) -> Int? {
        if case .number(let n, _) = node.value, n >= 0, n.rounded() == n { return Int(n) }
        return nil
    }

    static func equal(_ a: JSONNode, _ b: JSONNode) -> Bool {
        switch (a.value, b.value) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x, _), .number(let y, _)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.node, m.node) } }
        default: return false
        }
    }
}
