/// The parsed document and what the parser noticed that JSON itself allows.
public struct ParsedJSON: Sendable {
    public var root: JSONNode
    /// The first duplicated keys (at most `DiagnosticLimit.default.perRule`).
    public var duplicateKeys: [DuplicateKey]
    /// How many keys were duplicated in all.
    var duplicateKeyCount: Int
}
