import JSONDocument

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

    /// Compiler style, which editors and CI log viewers already turn into links.
    public var formatted: String {
        var head = file
        if let location { head += ":\(location.line):\(location.column)" }
        let at = pointer.map { "\($0.displayName): " } ?? ""
        return "\(head): \(severity.rawValue): \(at)\(message) [\(rule)]"
    }
}

/// Input that could not be used at all: the file is missing, unreadable, not JSON, or names a
/// release that does not exist. The command stops with exit code 2 and this one-line reason.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var location: SourceLocation?
    public var pointer: JSONPointer?

    public init(file: String, reason: String, location: SourceLocation? = nil, pointer: JSONPointer? = nil) {
        self.file = file
        self.reason = reason
        self.location = location
        self.pointer = pointer
    }

    public var description: String {
        var head = file
        if let location { head += ":\(location.line):\(location.column)" }
        return "\(head): \(reason)"
    }
}
