import Foundation

public struct Container: Decodable, Sendable, Equatable {
    public var name: String
    public var image: String?
}
