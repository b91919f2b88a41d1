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
