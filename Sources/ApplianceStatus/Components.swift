import ApplianceModel
import Foundation

/// Which component a pod belongs to, from its owners (never from name substrings, which confuse
/// `temporal` with `temporal-worker` and `alga-core-sebastian` with its bootstrap Job).
public enum PodOwnership {
    /// What a pod of the bootstrap Job belongs to (the Job is a rule, not a component).
    public static let bootstrap = Tiers.bootstrapName

    public static func component(of pod: Pod, in model: ApplianceModel) -> String? {
        let specs = model.statusComponents.filter { $0.namespace == (pod.metadata.namespace ?? model.namespaces.app) }
        for owner in pod.metadata.ownerReferences {
            switch owner.kind {
            case "Job":
                return owner.name.hasPrefix(model.bootstrapJob) ? bootstrap : nil
            case "StatefulSet":
                return specs.first { $0.kind == .statefulSet && $0.resource == owner.name }?.name
            case "ReplicaSet":
                // A Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`.
                guard let dash = owner.name.lastIndex(of: "-") else { continue }
                let deployment = String(owner.name[..<dash])
                return specs.first { $0.kind == .deployment && $0.resource == deployment }?.name
            default:
                continue
            }
        }
        return nil
    }

    public static func tier(of component: String, in model: ApplianceModel) -> ComponentTier? {
        component == bootstrap ? .login : model.named(component)?.tier
    }
}

/// Readiness of one component, kstatus-style: replicas ready and updated, the controller caught up.
enum ComponentReadiness {
    static func evaluate(_ spec: ComponentSpec, in snapshot: Snapshot, model: ApplianceModel) -> ComponentStatus {
        let workloads = spec.kind == .deployment ? snapshot.deployments : snapshot.statefulSets
        let namespace = { (meta: ObjectMeta) in meta.namespace ?? model.namespaces.app }
        guard let workload = workloads.first(where: { $0.metadata.name == spec.resource && namespace($0.metadata) == spec.namespace }) else {
            let release = snapshot.helmReleases.first { $0.metadata.name == spec.helmRelease }
            let status: ComponentState
            let message: String
            if let ready = release?.ready, ready.reason == "DependencyNotReady" || FluxProgress.isProgressing(ready) {
                status = .waitingForDependency
                message = "HelmRelease \(spec.helmRelease ?? ""): \(ready.message ?? ready.reason ?? "not ready")"
            } else {
                status = .notInstalled
                message =
                    release == nil
                    ? spec.helmRelease.map { "HelmRelease \($0) does not exist" } ?? "\(spec.resource) does not exist" : "\(spec.resource) does not exist"
            }
            return ComponentStatus(name: spec.name, tier: spec.tier, ready: false, status: status, message: message)
        }
        let desired = workload.desiredReplicas
        let ready = workload.readyReplicas
        let updated = workload.status?.updatedReplicas ?? ready
        let current = workload.status?.replicas ?? ready
        let caughtUp = (workload.status?.observedGeneration ?? 0) >= (workload.metadata.generation ?? 0)
        if desired == 0 {
            return ComponentStatus(name: spec.name, tier: spec.tier, ready: false, status: .notReady, message: "scaled to 0")
        }
        if ready >= desired && updated >= desired && current <= desired && caughtUp {
            return ComponentStatus(name: spec.name, tier: spec.tier, ready: true, status: .ready, message: "\(ready)/\(desired) ready")
        }
        let stalled = workload.status?.conditions?["Progressing"].map { $0.status == "False" } ?? false
        let podsProgressing = PodProgress.isProgressing(component: spec.name, in: snapshot, model: model)
        return ComponentStatus(
            name: spec.name, tier: spec.tier, ready: false, status: !stalled && podsProgressing ? .progressing : .notReady,
            message: "\(ready)/\(desired) ready" + (stalled ? ", \(workload.status?.conditions?["Progressing"]?.reason ?? "not progressing")" : ""))
    }
}

/// In-progress states are progress, not failures.
enum FluxProgress {
    static let progressReasons: Set<String> = ["Progressing", "DependencyNotReady", "ProgressingWithRetry", "Reconciling"]
    static let progressMessages = [
        "reconciliation in progress", "running health checks", "running 'install' action", "running 'upgrade' action",
        "fulfilling prerequisites", "latest generation of object has not been reconciled",
    ]

    static func isProgressing(_ ready: Condition) -> Bool {
        if ready.status == "Unknown" { return true }
        if let reason = ready.reason, progressReasons.contains(reason) { return true }
        let message = (ready.message ?? "").lowercased()
        return progressMessages.contains { message.contains($0) } || (message.contains("dependency") && message.contains("not ready"))
    }
}

enum PodProgress {
    /// Waiting reasons that only mean "not there yet".
    static let benignWaiting: Set<String> = ["ContainerCreating", "PodInitializing"]

    static func pods(of component: String, in snapshot: Snapshot, model: ApplianceModel) -> [Pod] {
        snapshot.pods.filter { PodOwnership.component(of: $0, in: model) == component && $0.metadata.deletionTimestamp == nil }
    }

    /// A pod is progressing when every not-ready container is only waiting to start, or an init
    /// container is running: no error reason anywhere.
    static func isProgressing(component: String, in snapshot: Snapshot, model: ApplianceModel) -> Bool {
        let pods = pods(of: component, in: snapshot, model: model)
        guard !pods.isEmpty else { return true }
        return pods.allSatisfy { pod in
            let statuses = pod.allContainerStatuses
            return statuses.allSatisfy { status in
                guard let waiting = status.state?.waiting else { return true }
                return benignWaiting.contains(waiting.reason ?? "")
            }
        }
    }
}
