import ApplianceModel
import ApplianceStatus
import BoundedHTTP
import Foundation
import JSONDocument
import NIOCore
import ReleaseModel

/// Where an observation comes from: a snapshot folder (read again on every collection, so a
/// folder replaced in place is seen) or the live API plus the login probe.
public enum StatusSource: Sendable {
    case snapshot(directory: String)
    case live(LiveCluster, loginURL: String?)

    /// The source the command-line options name (the commands check that exactly one is given):
    /// a snapshot folder, the pod's service account, or a kubeconfig.
    public init(snapshot: String?, kubeconfig: String?, inCluster: Bool, loginURL: String?, model: ApplianceModel) throws(InputError) {
        if let snapshot {
            self = .snapshot(directory: snapshot)
            return
        }
        let cluster = try inCluster ? LiveCluster.inCluster(model: model) : LiveCluster(kubeconfig: try Kubeconfig.read(kubeconfig ?? ""), model: model)
        self = .live(cluster, loginURL: loginURL)
    }

    /// `snapshot`, `kubeconfig` or `in-cluster`, for logs and the document's `source`.
    public var kind: String {
        switch self {
        case .snapshot: "snapshot"
        case .live(let cluster, _): cluster.inCluster ? "in-cluster" : "kubeconfig"
        }
    }

    /// One observation. `probes` replaces the live probes (and so fixes the clock) when given.
    /// - Parameter timeout: seconds for the whole live observation, every body included.
    /// - Throws: `InputError` when a snapshot cannot be read, `ClusterUnreachable` when the API cannot be asked.
    public func collect(probes: Probes? = nil, timeout: Double = 30) async throws -> Snapshot {
        var snapshot: Snapshot
        switch self {
        case .snapshot(let directory):
            snapshot = try SnapshotFolder.read(directory)
        case .live(let cluster, let loginURL):
            let deadline = NIODeadline.after(seconds: timeout)
            snapshot = try await cluster.read(deadline: deadline)
            // The default target is the node's address; a test or a proxy names its own.
            if probes == nil, let url = loginURL ?? snapshot.nodes.first?.internalIP.map(cluster.model.loginURL) {
                snapshot.probes?.loginProbe = await LoginProbe.run(url: url, deadline: min(deadline, NIODeadline.after(seconds: LoginProbe.seconds)))
            }
        }
        if let probes { snapshot.probes = probes }
        return snapshot
    }

    public func shutdown() async {
        if case .live(let cluster, _) = self { await cluster.shutdown() }
    }
}
