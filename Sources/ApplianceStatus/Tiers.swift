import ApplianceModel
import Foundation

public struct Tiers: Encodable, Sendable, Equatable {
    public var platform: TierState
    public var core: TierState
    public var bootstrap: TierState
    public var login: TierState
    public var background: TierState
    var fullHealth: TierState

    /// The tiers in the order an install passes them (fullHealth, their sum, left out), by name:
    /// the order every view of them uses.
    public var inOrder: [(name: String, state: TierState)] {
        ComponentTier.allCases.flatMap { tier -> [(name: String, state: TierState)] in
            // The bootstrap runs between the core tier and the web app, so it is shown just before login.
            tier == .login ? [(Self.bootstrapName, bootstrap), (tier.rawValue, self[tier])] : [(tier.rawValue, self[tier])]
        }
    }

    /// The bootstrap's row: a rule over its Job, not a tier of components.
    static let bootstrapName = "bootstrap"

    public subscript(tier: ComponentTier) -> TierState {
        switch tier {
        case .platform: platform
        case .core: core
        case .login: login
        case .background: background
        }
    }
}
