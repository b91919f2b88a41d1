import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead

/// `/api/overview`: what an owner needs in one glance.
struct Overview: Encodable, Sendable, Equatable {
    var installState: RollupState
    /// The first tier that is not ready (`platform`, `core`, `bootstrap`, `login`, `background`), or `complete`.
    var currentPhase: String
    var loginReady: Bool
    public var loginUrl: String?
    public var message: String
    public var nextAction: String
    /// The next action as commands to copy (the rollup's), each with what it needs.
    var nextCommands: [NextCommand]
    public var observedAt: Date
    public var source: StatusDocument.SourceState?

    public init(_ d: StatusDocument) {
        installState = d.rollup.state
        currentPhase = d.tiers.inOrder.first { !$0.state.ready }?.name ?? "complete"
        loginReady = d.tiers.login.ready
        loginUrl = d.urls.loginUrl
        message = d.rollup.message
        nextAction = d.rollup.nextAction
        nextCommands = d.rollup.commands
        observedAt = d.observedAt
        source = d.source
    }
}
