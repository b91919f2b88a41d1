import ApplianceModel
import Foundation

public struct Blocker: Encodable, Sendable, Equatable {
    public var kind: BlockerKind
    public var component: String
    public var tier: ComponentTier?
    public var loginBlocking: Bool
    public var severity: BlockerSeverity
    public var reason: String
    public var evidence: String
    public var nextAction: String
    /// The next action as commands to copy, with the real names; empty where it has none.
    public var commands: [NextCommand]
    public var image: String?
}
