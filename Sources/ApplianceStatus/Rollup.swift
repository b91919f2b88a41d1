import ApplianceModel
import Foundation

public struct Rollup: Encodable, Sendable, Equatable {
    public var state: RollupState
    public var message: String
    public var nextAction: String
    /// The commands of the blocker the next action comes from.
    public var commands: [NextCommand] = []
}
