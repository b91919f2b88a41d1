import ApplianceModel
import ArgumentParser
import JSONDocument
import KubernetesRead
import ReleaseModel

/// The options that say where a status observation comes from and how it is judged, shared by
/// `alga-release status` and `appliance-status` (one declaration, one validation, one reading).
public struct StatusSourceOptions: ParsableArguments, Sendable {
    @Option(help: "A snapshot folder (read again on every collection).")
    public var snapshot: String?

    @Option(help: "A kubeconfig (its current context).")
    public var kubeconfig: String?

    @Flag(name: .customLong("in-cluster"), help: "Use the pod's service account.")
    public var inCluster = false

    @Option(name: .customLong("login-url"), help: "Where the live login probe sends its HEAD (default: the web app's port on the node's address).")
    public var loginURL: String?

    @Option(help: "Registry lock (alga-release check --write-lock): sizes of images being pulled.")
    public var lock: String?

    @Option(help: "An appliance model file to judge the cluster by (default: the model this binary was built with, releases/appliance.json).")
    public var model: String?

    public init() {}

    public func validate() throws {
        guard [snapshot != nil, kubeconfig != nil, inCluster].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --snapshot, --kubeconfig, --in-cluster")
        }
    }

    /// The model given with --model, else the built-in one.
    public func appliance() throws(InputError) -> ApplianceModel {
        try model.map { path throws(InputError) in try ApplianceDeclaration.read(path).model } ?? .standard
    }

    /// Image sizes from --lock, for pulls in progress.
    public func sizes() throws(InputError) -> LockSizes {
        LockSizes(try lock.map { path throws(InputError) in try RegistryLock.read(path) })
    }

    /// The source the options name, judged by `model`.
    public func source(model: ApplianceModel) throws(InputError) -> StatusSource {
        try StatusSource(snapshot: snapshot, kubeconfig: kubeconfig, inCluster: inCluster, loginURL: loginURL, model: model)
    }
}
