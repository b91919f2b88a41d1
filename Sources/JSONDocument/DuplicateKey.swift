/// A duplicated object key: legal JSON, but which value wins differs between readers.
public struct DuplicateKey: Sendable, Equatable {
    public var pointer: JSONPointer
    public var location: SourceLocation
}
