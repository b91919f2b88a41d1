import ApplianceModel
import Foundation

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
