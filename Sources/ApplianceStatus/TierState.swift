import ApplianceModel
import Foundation

public struct TierState: Encodable, Sendable, Equatable {
    public var ready: Bool
    public var reason: String
}
