import Foundation

public struct ObjectReference: Decodable, Sendable, Equatable {
    public var kind: String?
    public var name: String?
    public var namespace: String?
    var uid: String?
    /// `spec.containers{db}`, `spec.initContainers{volume-prep}`: which container an event is about.
    public var fieldPath: String?
}
