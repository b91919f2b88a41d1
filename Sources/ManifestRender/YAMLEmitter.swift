import JSONDocument
import Yams

/// A YAML emitter for Kubernetes manifests, over Yams' node tree. Yams' own emitter leaves `y` and
/// `n` plain (Kubernetes' YAML 1.1 reader turns them into booleans) and folds long lines, so the
/// bytes are produced here: keys in template order, strings quoted unless they are unambiguous,
/// nothing folded, multi-line strings as literal blocks.
enum YAMLEmitter {
    /// Whether a scalar's text is to be emitted as a string (quoted if needed) or as written.
    enum ScalarKind { case literalAsWritten, string }

    static func emit(_ node: Node, kind: (Node.Scalar) -> ScalarKind) -> String {
        var out = ""
        write(node, indent: 0, into: &out, kind: kind, context: .root)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private enum Context { case root, mappingValue, sequenceItem }

    private static func write(_ node: Node, indent: Int, into out: inout String, kind: (Node.Scalar) -> ScalarKind, context: Context) {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .scalar(let scalar):
            let text = render(scalar, kind: kind(scalar), indent: indent)
            out += (context == .mappingValue ? " " : "") + text + "\n"
        case .mapping(let mapping):
            if mapping.isEmpty {
                out += (context == .mappingValue ? " " : "") + "{}\n"
                return
            }
            if context == .mappingValue { out += "\n" }
            var first = true
            for (key, value) in mapping {
                let keyText = key.scalar.map { quoteIfNeeded($0.string) } ?? "?"
                // The first key of a mapping inside a sequence item sits on the "- " line.
                let lead = (context == .sequenceItem && first) ? "" : pad
                out += lead + keyText + ":"
                first = false
                switch value {
                case .sequence(let sequence) where !sequence.isEmpty:
                    out += "\n"
                    write(value, indent: indent + 2, into: &out, kind: kind, context: .mappingValue)
                default:
                    write(value, indent: indent + 2, into: &out, kind: kind, context: .mappingValue)
                }
            }
        case .sequence(let sequence):
            if sequence.isEmpty {
                out += (context == .mappingValue ? " " : "") + "[]\n"
                return
            }
            for item in sequence {
                out += pad + "- "
                switch item {
                case .mapping(let m) where !m.isEmpty:
                    write(item, indent: indent + 2, into: &out, kind: kind, context: .sequenceItem)
                case .sequence(let s) where !s.isEmpty:
                    out += "\n"
                    write(item, indent: indent + 2, into: &out, kind: kind, context: .root)
                default:
                    var line = ""
                    write(item, indent: indent + 2, into: &line, kind: kind, context: .root)
                    out += line
                }
            }
        case .alias:
            out += " null\n"
        }
    }

    private static func render(_ scalar: Node.Scalar, kind: ScalarKind, indent: Int) -> String {
        switch kind {
        case .literalAsWritten:
            return scalar.string
        case .string:
            let s = scalar.string
            if s.contains("\n") && !s.contains("\r") && !s.hasPrefix(" ") && !s.contains("\t") {
                return literalBlock(s, indent: indent)
            }
            return quoteIfNeeded(s)
        }
    }

    /// `|` keeps a final newline, `|-` strips it; lines are indented under the key.
    private static func literalBlock(_ s: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        let keep = s.hasSuffix("\n")
        let body = keep ? String(s.dropLast()) : s
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        return (keep ? "|" : "|-") + "\n" + lines.joined(separator: "\n")
    }

    /// Plain words Kubernetes' YAML 1.1 reader turns into booleans (and YAML 1.2 readers do not).
    static let yaml11Booleans: Set<String> = ["y", "n", "yes", "no", "on", "off"]

    /// Words YAML 1.1 (what Kubernetes' reader implements) or 1.2 read as something else than a string.
    static let reservedWords: Set<String> = yaml11Booleans.union(["true", "false", "null", "~"])

    /// Plain only when every YAML reader sees a string: starts with a letter or '/', only safe
    /// characters, no ": " or " #", not a reserved word, not a number or a date.
    static func isSafePlain(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "/" else { return false }
        guard !reservedWords.contains(s.lowercased()) else { return false }
        guard s.wholeMatch(of: /[A-Za-z\/][A-Za-z0-9_.\/@:=+-]*/) != nil else { return false }
        return !s.hasSuffix(":") && !s.contains(": ")
    }

    static func quoteIfNeeded(_ s: String) -> String {
        isSafePlain(s) ? s : doubleQuoted(s)
    }

    /// YAML's double-quoted style takes JSON's string escapes: one rule for both.
    static func doubleQuoted(_ s: String) -> String { JSONWriter.quoted(s) }
}
