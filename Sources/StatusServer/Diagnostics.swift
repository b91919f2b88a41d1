import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead

/// `/api/diagnostics`: everything behind the overview, including the Flux and Helm objects themselves.
struct Diagnostics: Encodable, Sendable, Equatable {
    public struct FluxRow: Encodable, Sendable, Equatable {
        public var kind: String
        public var namespace: String?
        public var name: String
        /// The Ready condition's status: `True`, `False` or `Unknown` (also when there is none yet).
        public var ready: String
        public var reason: String?
        public var message: String?
        public var revision: String?
        var suspended: Bool
        public var dependsOn: [String]
    }

    public struct Flux: Encodable, Sendable, Equatable {
        public var sources: [FluxRow]
        public var kustomizations: [FluxRow]
        public var helmReleases: [FluxRow]
    }

    public struct SupportBundleHint: Encodable, Sendable, Equatable {
        public var note: String
        public var commands: [String]
    }

    public var overview: Overview
    public var tiers: Tiers
    public var components: [ComponentStatus]
    public var topBlockers: [Blocker]
    public var activeOperations: [ActiveOperation]
    public var bootstrap: BootstrapSummary
    public var loginProbe: Probes.LoginProbe?
    public var recentEvents: [EventRow]
    public var flux: Flux
    public var supportBundle: SupportBundleHint

    public init(_ d: StatusDocument, snapshot: Snapshot, model: ApplianceModel) {
        overview = Overview(d)
        tiers = d.tiers
        components = d.components
        topBlockers = d.topBlockers
        activeOperations = d.activeOperations
        bootstrap = d.bootstrap
        loginProbe = d.loginProbe
        recentEvents = d.recentEvents
        func rows(_ objects: [FluxObject], kind: String) -> [FluxRow] {
            objects.map { o in
                let ready = o.ready
                return FluxRow(
                    kind: o.kind ?? kind, namespace: o.metadata.namespace, name: o.metadata.name, ready: ready?.status ?? "Unknown",
                    reason: ready?.reason, message: ready?.message,
                    revision: o.status?.lastAppliedRevision ?? o.status?.artifact?.revision, suspended: o.spec?.suspend ?? false,
                    dependsOn: (o.spec?.dependsOn ?? []).map(\.name))
            }
        }
        flux = Flux(
            sources: rows(snapshot.gitRepositories, kind: "GitRepository") + rows(snapshot.ociRepositories, kind: "OCIRepository"),
            kustomizations: rows(snapshot.kustomizations, kind: "Kustomization"),
            helmReleases: rows(snapshot.helmReleases, kind: "HelmRelease"))
        supportBundle = SupportBundleHint(
            note:
                "From a machine with the appliance's kubeconfig: these read-only commands save what this page reads; `appliance-status --snapshot alga-status-snapshot` or `alga-release status --snapshot` replays it. It reads no Secret objects; pod specs can still hold plain environment values, so look before sharing.",
            commands: SupportBundle.commands(for: model))
    }
}
