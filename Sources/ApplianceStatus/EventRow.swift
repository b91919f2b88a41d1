import ApplianceModel
import Foundation

public struct EventRow: Encodable, Sendable, Equatable {
    public var namespace: String?
    public var object: String
    public var reason: String?
    public var type: String?
    public var message: String
    public var time: Date?
    public var count: Int?
}
