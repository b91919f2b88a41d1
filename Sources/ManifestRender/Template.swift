import Foundation
import YAMLInput
import Yams

/// A template: YAML with `${NAME}` placeholders in scalar values (the Flux post-build substitution
/// convention). Substitution happens on the parsed tree, never on raw text, so a value can never
/// break the document's structure.
public struct Template: Sendable {
    /// Path relative to the templates root, which is also the output path.
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    static var placeholder: Regex<(Substring, Substring)> { /\$\{([A-Za-z0-9_]*)\}/ }

    /// Renders every document; returns the YAML text and the placeholders it used.
    func render(_ variables: [String: String]) throws(RenderError) -> (text: String, used: Set<String>) {
        let documents: [Node]
        do {
            documents = try BoundedYAML.documents(text)
        } catch {
            throw RenderError(file: path, reason: "\(error)")
        }
        var used = Set<String>()
        var rendered: [String] = []
        for document in documents {
            let node = try substitute(document, variables: variables, used: &used)
            rendered.append(
                YAMLEmitter.emit(node) { scalar in
                    // Values the template quoted, and every substituted value (marked double-quoted), are
                    // strings; plain values the author wrote (numbers, booleans, words) stay as written for
                    // lint to judge.
                    scalar.style == .plain ? .literalAsWritten : .string
                })
        }
        return (rendered.joined(separator: "---\n"), used)
    }

    private func substitute(
        _ node: Node, variables: [String: String], used: inout Set<String>
    ) throws(RenderError) -> Node {
        switch node {
        case .scalar(var scalar):
            let matches = scalar.string.matches(of: Self.placeholder)
            guard !matches.isEmpty else { return node }
            var result = ""
            var rest = scalar.string[...]
            for match in matches {
                let name = String(match.output.1)
                guard let value = variables[name] else {
                    throw RenderError(
                        file: path, line: scalar.mark?.line,
                        reason: "unknown placeholder ${\(name)}; known: \(variables.keys.sorted().joined(separator: ", "))")
                }
                used.insert(name)
                result += rest[..<match.range.lowerBound] + value
                rest = rest[match.range.upperBound...]
            }
            result += rest
            scalar.string = result
            scalar.style = .doubleQuoted
            return .scalar(scalar)
        case .mapping(var mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                if let k = key.scalar, k.string.contains("${") {
                    throw RenderError(file: path, line: k.mark?.line, reason: "placeholder in the key \"\(k.string)\": placeholders go in values only")
                }
                pairs.append((key, try substitute(value, variables: variables, used: &used)))
            }
            let tag = mapping.tag
            let style = mapping.style
            mapping = Node.Mapping(pairs, tag, style)
            return .mapping(mapping)
        case .sequence(var sequence):
            var items: [Node] = []
            for item in sequence { items.append(try substitute(item, variables: variables, used: &used)) }
            let tag = sequence.tag
            let style = sequence.style
            sequence = Node.Sequence(items, tag, style)
            return .sequence(sequence)
        case .alias:
            throw RenderError(file: path, line: node.mark?.line, reason: "YAML aliases are not allowed in templates")
        }
    }
}
