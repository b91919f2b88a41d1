import Foundation

/// One way an instance breaks its schema: where, what was found, what was expected.
public struct SchemaViolation: Sendable, Equatable, Codable {
    public var pointer: JSONPointer
    public var location: SourceLocation
    /// The schema keyword that failed (`required`, `pattern`, ...), for tools that group findings.
    public var keyword: String
    public var found: String
    public var expected: String
    /// Set on the one closing violation per keyword that stands for this many left unlisted.
    public var omitted: Int?

    public var message: String {
        omitted.map { "\($0) more violation\($0 == 1 ? "" : "s") of \(keyword) not listed" } ?? "expected \(expected), found \(found)"
    }
}
