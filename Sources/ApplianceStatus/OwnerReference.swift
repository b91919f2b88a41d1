import Foundation

public struct OwnerReference: Decodable, Sendable, Equatable {
    public var kind: String
    public var name: String
}
