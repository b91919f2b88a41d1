import Foundation

/// Everything the status rules read, as decoded from one observation of the cluster. The
/// Kubernetes types (`Pod`, `Event`, `FluxObject`, …, a file each) type only what a rule needs:
/// unknown fields are ignored and missing ones tolerated (real responses carry managedFields and
/// much more; recorded ones leave things out).
public struct Snapshot: Sendable, Equatable {
    public var nodes: [Node] = []
    public var pods: [Pod] = []
    public var events: [Event] = []
    public var deployments: [Workload] = []
    public var statefulSets: [Workload] = []
    public var jobs: [Job] = []
    public var persistentVolumeClaims: [PersistentVolumeClaim] = []
    public var kustomizations: [FluxObject] = []
    public var helmReleases: [FluxObject] = []
    public var gitRepositories: [FluxObject] = []
    public var ociRepositories: [FluxObject] = []
    public var probes: Probes?
    /// `logs/<namespace>/<pod>/<container>.previous.log`, keyed by that path without the suffix.
    public var previousLogs: [String: String] = [:]
    /// Set when the API could not be asked at all: the snapshot is then empty for that reason.
    public var apiError: String?

    public init() {}

    /// The observation of a cluster whose API did not answer.
    public static func unreachable(_ error: String, at time: Date) -> Snapshot {
        var snapshot = Snapshot()
        snapshot.apiError = error
        snapshot.probes = Probes(observedAt: time, readyz: nil, loginProbe: nil, seededUsersCount: nil)
        return snapshot
    }
}
