import Foundation

/// A status condition (`Ready`, `Complete`, `Available`, ...).
public struct Condition: Decodable, Sendable, Equatable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Date?

    public init(type: String, status: String, reason: String?, message: String?, lastTransitionTime: Date?) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

extension Array where Element == Condition {
    public subscript(type: String) -> Condition? { first { $0.type == type } }
}
