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
        // The pointer is said once, here; reasons never repeat it.
        let at = pointer.map { $0.tokens.isEmpty ? "" : "\($0.displayName): " } ?? ""
        return "\(head): \(at)\(reason)"
    }
}
