import ApplianceModel
import Foundation

/// The canonical status JSON (`schemaVersion` 1): one document for the CLI, the server and the page.
public struct StatusDocument: Encodable, Sendable, Equatable {
    public var schemaVersion = 1
    public var siteId: String
    public var observedAt: Date
    /// The release the appliance was installed from, when the caller knows it (`status --release`).
    public var release: ReleaseInfo?
    public var urls: URLs
    public var rollup: Rollup
    public var tiers: Tiers
    public var topBlockers: [Blocker]
    public var activeOperations: [ActiveOperation]
    public var components: [ComponentStatus]
    public var recentEvents: [EventRow]
    public var loginProbe: Probes.LoginProbe?
    public var bootstrap: BootstrapSummary
    /// How this observation was made, when a long-running server serves it (absent from the CLI).
    public var source: SourceState?

    public struct SourceState: Encodable, Sendable, Equatable {
        /// `snapshot`, `kubeconfig` or `in-cluster`.
        public var kind: String
        public var reachable: Bool
        /// Why the last collection failed; the document is then the last good one, or one that says
        /// only that the API cannot be reached.
        public var error: String?
        public var lastAttemptAt: Date
        public var lastSuccessAt: Date?

        public init(kind: String, reachable: Bool, error: String?, lastAttemptAt: Date, lastSuccessAt: Date?) {
            self.kind = kind
            self.reachable = reachable
            self.error = error
            self.lastAttemptAt = lastAttemptAt
            self.lastSuccessAt = lastSuccessAt
        }
    }

    public struct ReleaseInfo: Encodable, Sendable, Equatable {
        public var releaseVersion: String
        public var appVersion: String?
        public var channel: String?
        public var releaseBranch: String?

        public init(releaseVersion: String, appVersion: String?, channel: String?, releaseBranch: String?) {
            self.releaseVersion = releaseVersion
            self.appVersion = appVersion
            self.channel = channel
            self.releaseBranch = releaseBranch
        }
    }

    public struct URLs: Encodable, Sendable, Equatable {
        public var statusUrl: String?
        public var loginUrl: String?
    }
}

public enum RollupState: String, Encodable, Sendable, Equatable {
    case installing
    case readyToLogIn = "ready_to_log_in"
    case readyWithBackgroundIssues = "ready_with_background_issues"
    case fullyHealthy = "fully_healthy"
    case failedActionRequired = "failed_action_required"
}

public struct Rollup: Encodable, Sendable, Equatable {
    public var state: RollupState
    public var message: String
    public var nextAction: String
    /// The commands of the blocker the next action comes from.
    public var commands: [NextCommand] = []
}

public struct TierState: Encodable, Sendable, Equatable {
    public var ready: Bool
    public var reason: String
}

public struct Tiers: Encodable, Sendable, Equatable {
    public var platform: TierState
    public var core: TierState
    public var bootstrap: TierState
    public var login: TierState
    public var background: TierState
    public var fullHealth: TierState

    /// The tiers in the order an install passes them (fullHealth, their sum, left out), by name:
    /// the order every view of them uses.
    public var inOrder: [(name: String, state: TierState)] {
        ComponentTier.allCases.flatMap { tier -> [(name: String, state: TierState)] in
            // The bootstrap runs between the core tier and the web app, so it is shown just before login.
            tier == .login ? [(Self.bootstrapName, bootstrap), (tier.rawValue, self[tier])] : [(tier.rawValue, self[tier])]
        }
    }

    /// The bootstrap's row: a rule over its Job, not a tier of components.
    public static let bootstrapName = "bootstrap"

    public subscript(tier: ComponentTier) -> TierState {
        switch tier {
        case .platform: platform
        case .core: core
        case .login: login
        case .background: background
        }
    }
}

/// Blocker kinds, most fundamental first: the order is the precedence.
public enum BlockerKind: String, Encodable, Sendable, Equatable, CaseIterable, Comparable {
    case kubernetesUnavailable = "kubernetes_unavailable"
    case dnsResolution = "dns_resolution"
    case postgresPVCSubpath = "postgres_pvc_subpath"
    case volumeProvisioningFailed = "volume_provisioning_failed"
    case imageTagMissing = "image_tag_missing"
    case imagePullDenied = "image_pull_denied"
    case bootstrapJobFailed = "bootstrap_job_failed"
    case temporalSchema = "temporal_schema"
    case serviceLinkCollision = "service_link_collision"
    case crashLoop = "crash_loop"
    case imagePullInterrupted = "image_pull_interrupted"
    case fluxSourceFailure = "flux_source_failure"
    case helmReleaseFailure = "helm_release_failure"
    case workloadNotReady = "workload_not_ready"

    public static func < (a: BlockerKind, b: BlockerKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

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

public struct ActiveOperation: Encodable, Sendable, Equatable {
    public var operation: String
    public var component: String?
    public var image: String
    public var pods: [String]
    public var startedAt: Date
    public var elapsedSeconds: Int
    public var estimatedSizeBytes: Int?
    public var progressAvailable = false
}

public struct ComponentStatus: Encodable, Sendable, Equatable {
    public var name: String
    public var tier: ComponentTier
    public var ready: Bool
    public var status: ComponentState
    public var message: String
}

public struct EventRow: Encodable, Sendable, Equatable {
    public var namespace: String?
    public var object: String
    public var reason: String?
    public var type: String?
    public var message: String
    public var time: Date?
    public var count: Int?
}

public struct BootstrapSummary: Encodable, Sendable, Equatable {
    public var job: String?
    public var revision: Int?
    public var state: BootstrapState
    public var seededUsersCount: Int?
}
