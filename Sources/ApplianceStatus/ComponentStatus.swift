import ApplianceModel
import Foundation

public struct ComponentStatus: Encodable, Sendable, Equatable {
    public var name: String
    public var tier: ComponentTier
    public var ready: Bool
    public var status: ComponentState
    public var message: String
}
