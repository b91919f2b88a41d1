import ApplianceModel
import Foundation

/// Event queries the detectors share.
enum Events {
    static func time(_ e: Event) -> Date { e.time ?? .distantPast }

    /// `Failed` pull events of pods that still exist.
    static func pullFailures(_ c: Detectors.Context) -> [Event] {
        c.snapshot.events.filter {
            $0.reason == "Failed" && $0.involvedObject.kind == "Pod" && c.existingPods.contains($0.involvedObject.name ?? "")
                && $0.message.contains("Failed to pull image")
        }
    }

    /// For each container that is still waiting on an image (ErrImagePull/ImagePullBackOff), the
    /// latest `Failed` pull event about it, unless a later `Pulled` says the pull succeeded.
    static func currentPullFailures(_ c: Detectors.Context) -> [(Pod, ContainerStatus, Event)] {
        var found: [(Pod, ContainerStatus, Event)] = []
        for pod in c.snapshot.pods {
            for (kind, status) in pod.containerStatusesBySpecKey {
                guard let reason = status.state?.waiting?.reason, ["ErrImagePull", "ImagePullBackOff"].contains(reason) else { continue }
                let fieldPath = "spec.\(kind){\(status.name)}"
                let about = c.snapshot.events.filter {
                    $0.involvedObject.name == pod.metadata.name && ($0.involvedObject.fieldPath == nil || $0.involvedObject.fieldPath == fieldPath)
                }
                guard let failed = about.filter({ $0.reason == "Failed" && $0.message.contains("Failed to pull image") }).max(by: { time($0) < time($1) })
                else { continue }
                if about.contains(where: { $0.reason == "Pulled" && time($0) > time(failed) }) { continue }
                found.append((pod, status, failed))
            }
        }
        return found
    }
}
