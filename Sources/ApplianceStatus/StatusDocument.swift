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
