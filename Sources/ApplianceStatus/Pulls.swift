import ApplianceModel
import Foundation

/// Image pulls in progress, from container waiting states (not from events alone: "Pulling" events
/// outlive the pull). A container is pulling when it waits with no image ID and the latest pull
/// event about it is `Pulling`. A main container waiting behind a running init container is not.
enum Pulls {
    static func active(_ snapshot: Snapshot, now: Date, size: (String) -> Int?, model: ApplianceModel) -> [ActiveOperation] {
        var byImage: [String: ActiveOperation] = [:]
        var order: [String] = []
        for pod in snapshot.pods where pod.metadata.deletionTimestamp == nil {
            for (kind, status) in pod.containerStatusesBySpecKey {
                guard let waiting = status.state?.waiting, PodProgress.benignWaiting.contains(waiting.reason ?? ""), (status.imageID ?? "").isEmpty else {
                    continue
                }
                let fieldPath = "spec.\(kind){\(status.name)}"
                let pullEvents = snapshot.events.filter {
                    $0.involvedObject.name == pod.metadata.name && $0.involvedObject.fieldPath == fieldPath
                        && ["Pulling", "Pulled", "Failed"].contains($0.reason ?? "")
                }
                guard let latest = pullEvents.max(by: { Events.time($0) < Events.time($1) }), latest.reason == "Pulling" else { continue }
                let image = MessagePatterns.pullingImage(in: latest.message).map(String.init) ?? status.image ?? ""
                let started = pullEvents.filter { $0.reason == "Pulling" }.map(Events.time).min() ?? Events.time(latest)
                let where_ =
                    "\(pod.metadata.namespace ?? model.namespaces.app)/\(pod.metadata.name) (\(kind == "initContainers" ? "init container" : "container") \(status.name))"
                if var operation = byImage[image] {
                    // containerd pulls an image once however many pods wait for it.
                    operation.pods.append(where_)
                    if started < operation.startedAt {
                        operation.startedAt = started
                        operation.elapsedSeconds = max(0, Int(now.timeIntervalSince(started)))
                    }
                    byImage[image] = operation
                } else {
                    order.append(image)
                    byImage[image] = ActiveOperation(
                        operation: "pulling_image", component: PodOwnership.component(of: pod, in: model), image: image, pods: [where_], startedAt: started,
                        elapsedSeconds: max(0, Int(now.timeIntervalSince(started))), estimatedSizeBytes: size(image))
                }
            }
        }
        return order.compactMap { byImage[$0] }
    }
}
