/// Why a blocker is raised: one of the ways a detector finds a `BlockerKind` (the kind is the
/// ranked code the status document carries; several causes share one). Each cause carries its
/// words, the reason and the next action, as templates whose `{slot}`s the detector fills with
/// what it found: the detectors find facts, this file says them.
public enum BlockerCause: String, CaseIterable, Sendable {
    case apiUnreachable, apiNotReady, noNode, nodeNotReady
    case dnsLookup
    case volumeProvisioning, subPathDirectory
    case tagMissing, pullDenied, pullInterrupted
    case bootstrapJobFailed
    case temporalSchema, serviceLinkCollision, crashLoop
    case fluxSourceFailed, kustomizationFailed, helmReleaseFailed
    case workloadNotReady

    public var kind: BlockerKind {
        switch self {
        case .apiUnreachable, .apiNotReady, .noNode, .nodeNotReady: .kubernetesUnavailable
        case .dnsLookup: .dnsResolution
        case .volumeProvisioning: .volumeProvisioningFailed
        case .subPathDirectory: .postgresPVCSubpath
        case .tagMissing: .imageTagMissing
        case .pullDenied: .imagePullDenied
        case .pullInterrupted: .imagePullInterrupted
        case .bootstrapJobFailed: .bootstrapJobFailed
        case .temporalSchema: .temporalSchema
        case .serviceLinkCollision: .serviceLinkCollision
        case .crashLoop: .crashLoop
        case .fluxSourceFailed, .kustomizationFailed: .fluxSourceFailure
        case .helmReleaseFailed: .helmReleaseFailure
        case .workloadNotReady: .workloadNotReady
        }
    }

    /// What is wrong, in one line.
    public var reason: String {
        switch self {
        case .apiUnreachable: "The Kubernetes API cannot be reached"
        case .apiNotReady: "The Kubernetes API is not ready"
        case .noNode: "No node is registered"
        case .nodeNotReady: "Node {node} is not Ready"
        case .dnsLookup: "DNS lookups of {host} fail on the resolver {resolver}"
        case .volumeProvisioning: "The volume claim {claim} cannot be provisioned"
        case .subPathDirectory: "The {component} volume {volume} cannot be mounted: the subPath directory could not be created"
        case .tagMissing: "Image tag not found: {image}"
        case .pullDenied: "The registry refuses to serve {image} to this node"
        case .pullInterrupted: "The pull of {image} was interrupted; the kubelet retries it"
        case .bootstrapJobFailed: "Bootstrap failed: {failure}"
        case .temporalSchema: "Temporal's database schema is not initialised"
        case .serviceLinkCollision: "A Service's link variable (…_PORT=tcp://…) collides with the app's own setting"
        case .crashLoop: "{component} keeps crashing"
        case .fluxSourceFailed, .kustomizationFailed: "{kind} {object} is not Ready: {conditionReason}"
        case .helmReleaseFailed: "HelmRelease {object} failed: {conditionReason}"
        case .workloadNotReady: "{component} is not ready"
        }
    }

    /// What the owner does about it (the commands beside it are the same steps, to copy).
    public var nextAction: String {
        switch self {
        case .apiUnreachable: "Check that the node is up and its API answers (talosctl health); the status is read again on the next refresh."
        case .apiNotReady: "Check the Talos control plane (talosctl health) and the kubeconfig context."
        case .noNode: "Check that the Talos node booted and joined the cluster (talosctl health)."
        case .nodeNotReady: "Check the node with talosctl health and dmesg; the appliance has a single node."
        case .dnsLookup: "Set explicit DNS servers (for example 1.1.1.1, 8.8.8.8) for the appliance and retry."
        case .volumeProvisioning:
            "Check the StorageClass {storageClass}{provided} and its provisioner's pods, then describe the claim for the provisioner's words."
        case .subPathDirectory: "Repair or recreate the Postgres PVC subPath ({volume}) and restart {pod}."
        case .tagMissing: "Publish the missing image tag or point the release manifest at an existing tag."
        case .pullDenied: "Make the package public (the appliance pulls anonymously) or configure registry credentials."
        case .pullInterrupted: "Wait for the automatic retry; restart the pod if the retries stall."
        case .bootstrapJobFailed:
            "Read the bootstrap job's log (kubectl logs job/{job} -n {namespace}), fix the cause, then rerun the install in recover mode."
        case .temporalSchema:
            "Make sure Temporal runs its autosetup (entrypoint.sh autosetup) or schema job during install, then restart Temporal."
        case .serviceLinkCollision: "Set enableServiceLinks: false on the {component} pods (the rendered Temporal HelmRelease does) and restart them."
        case .crashLoop: "Read the previous log (kubectl logs {pod} -n {namespace} -c {container} --previous) and fix the cause."
        case .fluxSourceFailed: "Check the repository URL, branch and credentials of the Flux source, then run flux reconcile source."
        case .kustomizationFailed: "Read the Kustomization's message (flux get kustomizations) and fix the manifests it names."
        case .helmReleaseFailed:
            "Look at the pods of the release (kubectl get pods -n {appNamespace}) for the cause, then flux reconcile helmrelease {object} -n {namespace}."
        case .workloadNotReady:
            "Check the {component} pods and their events (kubectl describe pods -n {namespace}), then collect a support bundle."
        }
    }

    /// The slots the words name: what a detector must find to raise this cause.
    var slots: Set<BlockerSlot> { Self.slots(in: reason).union(Self.slots(in: nextAction)) }

    /// Fills `template`'s slots in one pass: a filled value is never read again, so a value that
    /// itself says `{image}` (a hostile event message) stays as it is. A slot without a fact is
    /// left as written.
    public static func fill(_ template: String, with facts: [BlockerSlot: String]) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let slot = BlockerSlot(rawValue: String(rest[rest.index(after: open)..<close])),
                let value = facts[slot]
            else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func slots(in template: String) -> Set<BlockerSlot> {
        Set(
            template.split(separator: "{").dropFirst().compactMap { $0.split(separator: "}", omittingEmptySubsequences: false).first }
                .compactMap { BlockerSlot(rawValue: String($0)) })
    }
}
