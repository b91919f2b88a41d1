import ApplianceModel
import Foundation

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
