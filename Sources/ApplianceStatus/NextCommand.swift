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
        guard names.allSatisfy(Self.isObjectName) else { return nil }
        self.purpose = purpose
        self.command = words.joined(separator: " ")
        self.needs = needs
    }

    /// A DNS-1123 subdomain, the form of every name in these commands.
    public static func isObjectName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard (1...253).contains(utf8.count), let first = utf8.first, let last = utf8.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    // MARK: the commands the detectors offer, one shape each

    static func restartPod(_ pod: Pod, purpose: String) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? "msp")
        return NextCommand(purpose, ["kubectl", "delete", "pod", name, "-n", namespace], names: [name, namespace])
    }

    static func describePod(_ pod: Pod) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? "msp")
        return NextCommand("Show the pod and its events", ["kubectl", "describe", "pod", name, "-n", namespace], names: [name, namespace])
    }

    static func previousLog(_ pod: Pod, container: String) -> NextCommand? {
        let (name, namespace) = (pod.metadata.name, pod.metadata.namespace ?? "msp")
        return NextCommand(
            "Read the log of the run that crashed", ["kubectl", "logs", name, "-n", namespace, "-c", container, "--previous"], names: [name, namespace, container])
    }

    static func describeWorkload(_ spec: ComponentSpec) -> NextCommand? {
        let kind = spec.kind == .deployment ? "deployment" : "statefulset"
        return NextCommand("Show the \(spec.name) \(kind) and its pods' state", ["kubectl", "describe", "\(kind)/\(spec.resource)", "-n", "msp"], names: [spec.resource])
    }

    static func jobLog(_ job: Job) -> NextCommand? {
        let (name, namespace) = (job.metadata.name, job.metadata.namespace ?? "msp")
        return NextCommand("Read the bootstrap job's log", ["kubectl", "logs", "job/\(name)", "-n", namespace], names: [name, namespace])
    }

    static func describeNode(_ node: Node) -> NextCommand? {
        NextCommand("Show the node's conditions", ["kubectl", "describe", "node", node.metadata.name], names: [node.metadata.name])
    }

    static let talosHealth = NextCommand("Check the Talos node and its control plane", ["talosctl", "health"], names: [], needs: .talosconfig)!

    /// `flux reconcile` for a Flux object: sources fetch again, a Kustomization applies again with its
    /// source, a HelmRelease installs or upgrades again (`--force`: even when nothing changed, which
    /// re-runs its hooks and jobs).
    static func reconcile(_ object: FluxObject, defaultKind: String) -> NextCommand? {
        let kind = object.kind ?? defaultKind
        let (name, namespace) = (object.metadata.name, object.metadata.namespace ?? (kind == "HelmRelease" ? "alga-system" : "flux-system"))
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

    static func listPods(namespace: String = "msp") -> NextCommand? {
        NextCommand("List the pods and their state", ["kubectl", "get", "pods", "-n", namespace], names: [namespace])
    }
}
