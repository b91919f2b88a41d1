/// One finding about an input file, in the form every output (text, JSON, GitHub annotation) needs.
public struct Diagnostic: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// A stable identifier for the rule (`schema.required`, `lint.tag-length`), for filtering and docs.
    public var rule: String
    public var file: String
    public var pointer: JSONPointer?
    public var location: SourceLocation?
    public var message: String
    public var found: String?
    public var expected: String?
    /// Set on a closing finding that stands for this many findings of its rule left unlisted.
    public var omitted: Int?

    public init(
        severity: Severity, rule: String, file: String, pointer: JSONPointer? = nil, location: SourceLocation? = nil,
        message: String, found: String? = nil, expected: String? = nil
    ) {
        self.severity = severity
        self.rule = rule
        self.file = file
        self.pointer = pointer
        self.location = location
        self.message = message
        self.found = found
        self.expected = expected
    }

    /// At most `limit.perRule` findings per rule and `limit.total` in all, in their order; the
    /// rest become one closing finding per rule that says how many were left out.
    public static func capped(_ diagnostics: [Diagnostic], limit: DiagnosticLimit = .default) -> [Diagnostic] {
        var counter = DiagnosticLimit.Counter(limit)
        var kept: [Diagnostic] = []
        // Per rule: findings left out earlier (a closing finding from the schema or the parser)
        // and now, and the worst severity and a file among them.
        var left: [(rule: String, count: Int, severity: Severity, file: String)] = []
        func leave(_ d: Diagnostic, _ count: Int) {
            if let i = left.firstIndex(where: { $0.rule == d.rule }) {
                left[i].count += count
                if left[i].severity < d.severity { left[i].severity = d.severity }
            } else {
                left.append((d.rule, count, d.severity, d.file))
            }
        }
        for diagnostic in diagnostics {
            if let omitted = diagnostic.omitted {
                leave(diagnostic, omitted)
            } else if counter.admit(diagnostic.rule) {
                kept.append(diagnostic)
            } else {
                leave(diagnostic, 1)
            }
        }
        return kept
            + left.map { rule, count, severity, file in
                var closing = Diagnostic(
                    severity: severity, rule: rule, file: file,
                    message:
                        "\(count) more finding\(count == 1 ? "" : "s") of this rule not listed (at most \(limit.perRule) per rule and \(limit.total) in all are)"
                )
                closing.omitted = count
                return closing
            }
    }

    /// Compiler style, which editors and CI log viewers already turn into links.
    public var formatted: String {
        var head = file
        if let location { head += ":\(location.line):\(location.column)" }
        let at = pointer.map { "\($0.displayName): " } ?? ""
        return "\(head): \(severity.rawValue): \(at)\(message) [\(rule)]"
    }
}

extension Diagnostic {
    public init(schema violation: SchemaViolation, file: String) {
        self.init(
            severity: .error, rule: "schema.\(violation.keyword)", file: file, pointer: violation.pointer,
            location: violation.omitted == nil ? violation.location : nil, message: violation.message,
            found: violation.omitted == nil ? violation.found : nil, expected: violation.omitted == nil ? violation.expected : nil)
        omitted = violation.omitted
    }

    /// A key given twice in one object: JSON readers disagree on which value wins, so it is an error.
    public static func duplicateKeys(_ parsed: ParsedJSON, file: String) -> [Diagnostic] {
        var found = parsed.duplicateKeys.map {
            Diagnostic(
                severity: .error, rule: "json.duplicate-key", file: file, pointer: $0.pointer, location: $0.location,
                message: "the key \"\($0.pointer.tokens.last ?? "")\" appears more than once; readers disagree on which value wins")
        }
        if parsed.duplicateKeyCount > parsed.duplicateKeys.count {
            var closing = Diagnostic(severity: .error, rule: "json.duplicate-key", file: file, message: "more duplicated keys")
            closing.omitted = parsed.duplicateKeyCount - parsed.duplicateKeys.count
            found.append(closing)
        }
        return found
    }
}
