import ApplianceModel
import Foundation

/// A command the appliance's owner can copy for a next step, with the real object names filled in,
/// and what it needs to run: kubectl and flux need the kubeconfig, talosctl the talosconfig, both of
/// which the bootstrap wrote to the site directory (`~/.alga-psa-appliance/<site>/`).
///
/// Names come from the cluster, and a snapshot is untrusted input: a command is made only when
/// every name in it is a Kubernetes object name (DNS-1123: lower-case letters, digits, `-` and `.`),
/// which no shell reads as anything but a word. A name that is not one gives no command, never a
/// quoted one the owner would have to inspect before pasting.
public struct NextCommand: Encodable, Sendable, Equatable {
    public enum Needs: String, Encodable, Sendable, Equatable, CaseIterable {
        case kubeconfig, talosconfig

        /// The environment variable the tool reads, and the file the bootstrap wrote.
        public var variable: String { self == .kubeconfig ? "KUBECONFIG" : "TALOSCONFIG" }
        public var file: String { rawValue }
    }

    /// What running it does, in a few words.
    public var purpose: String
    public var command: String
    public var needs: Needs

    init?(_ purpose: String, _ words: [String], names: [String], needs: Needs = .kubeconfig) {
        guard names.allSatisfy(ObjectName.isValid) else { return nil }
        self.purpose = purpose
        self.command = words.joined(separator: " ")
        self.needs = needs
    }

    // MARK: the commands the detectors offer, one shape each

    static func restartPod(_ pod: Pod, purpose: String, model: ApplianceModel) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? model.namespaces.app)
        return NextCommand(purpose, ["kubectl", "delete", "pod", name, "-n", namespace], names: [name, namespace])
    }

    static func describePod(_ pod: Pod, model: ApplianceModel) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? model.namespaces.app)
        return NextCommand("Show the pod and its events", ["kubectl", "describe", "pod", name, "-n", namespace], names: [name, namespace])
    }

    static func describeClaim(_ claim: PersistentVolumeClaim, model: ApplianceModel) -> NextCommand? {
        let (name, namespace) = (claim.metadata.name, claim.metadata.namespace ?? model.namespaces.app)
        return NextCommand("Show the volume claim and its events", ["kubectl", "describe", "pvc", name, "-n", namespace], names: [name, namespace])
    }

    static func previousLog(_ pod: Pod, container: String, model: ApplianceModel) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? model.namespaces.app)
        return NextCommand(
            "Read the log of the run that crashed", ["kubectl", "logs", name, "-n", namespace, "-c", container, "--previous"],
            names: [name, namespace, container])
    }

    static func describeWorkload(_ spec: ComponentSpec) -> NextCommand? {
        let kind = spec.kind == .deployment ? "deployment" : "statefulset"
        return NextCommand(
            "Show the \(spec.name) \(kind) and its pods' state", ["kubectl", "describe", "\(kind)/\(spec.resource)", "-n", spec.namespace],
            names: [spec.resource, spec.namespace])
    }

    static func jobLog(_ job: Job, model: ApplianceModel) -> NextCommand? {
        let (name, namespace) = (job.metadata.name, job.metadata.namespace ?? model.namespaces.app)
        return NextCommand("Read the bootstrap job's log", ["kubectl", "logs", "job/\(name)", "-n", namespace], names: [name, namespace])
    }

    static func describeNode(_ node: Node) -> NextCommand? {
        NextCommand("Show the node's conditions", ["kubectl", "describe", "node", node.metadata.name], names: [node.metadata.name])
    }

    static let talosHealth = NextCommand("Check the Talos node and its control plane", ["talosctl", "health"], names: [], needs: .talosconfig)!

    /// `flux reconcile` for a Flux object: sources fetch again, a Kustomization applies again with its
    /// source, a HelmRelease installs or upgrades again (`--force`: even when nothing changed, which
    /// makes a new Helm revision and so runs the revision's jobs again).
    static func reconcile(_ object: FluxObject, defaultKind: String, model: ApplianceModel) -> NextCommand? {
        let kind = object.kind ?? defaultKind
        let name = object.metadata.name
        let namespace = object.metadata.namespace ?? (kind == "HelmRelease" ? model.namespaces.helmReleases : model.namespaces.flux)
        let (words, flags, purpose): ([String], [String], String)
        switch kind {
        case "GitRepository": (words, flags, purpose) = (["source", "git", name], [], "Fetch the repository again")
        case "OCIRepository": (words, flags, purpose) = (["source", "oci", name], [], "Fetch the artifact again")
        case "Kustomization": (words, flags, purpose) = (["kustomization", name], ["--with-source"], "Apply the Kustomization again, with a fresh fetch")
        case "HelmRelease": (words, flags, purpose) = (["helmrelease", name], ["--force"], "Install or upgrade the release again")
        default: return nil
        }
        return NextCommand(purpose, ["flux", "reconcile"] + words + ["-n", namespace] + flags, names: [name, namespace])
    }

    static func listPods(model: ApplianceModel) -> NextCommand? {
        NextCommand("List the pods and their state", ["kubectl", "get", "pods", "-n", model.namespaces.app], names: [model.namespaces.app])
    }
}
