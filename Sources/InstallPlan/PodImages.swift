import ReleaseModel
import Yams

/// The containers of an object's pods: Pods, and the pod templates of Deployments, StatefulSets,
/// DaemonSets, ReplicaSets, Jobs and CronJobs; init and ephemeral containers too.
public enum PodImages {
    public struct Container: Sendable, Equatable {
        public var name: String
        public var image: String
        public var pullPolicy: String?
        public var isInit: Bool
    }

    /// The pod spec of `object`, if it has pods.
    public static func podSpec(of object: PlanObject) -> Node? {
        switch object.kind {
        case "Pod": object.node["spec"]
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job": object.node["spec"]?["template"]?["spec"]
        case "CronJob": object.node["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: nil
        }
    }

    public static func containers(of object: PlanObject) -> [Container] {
        guard let spec = podSpec(of: object) else { return [] }
        var found: [Container] = []
        for (field, isInit) in [("initContainers", true), ("containers", false), ("ephemeralContainers", false)] {
            for container in spec[field]?.sequence ?? [] {
                guard let image = container["image"]?.string else { continue }
                found.append(
                    Container(
                        name: container["name"]?.string ?? "?", image: image, pullPolicy: container["imagePullPolicy"]?.string, isInit: isInit))
            }
        }
        return found
    }

    /// An image as the kubelet reads it: registry explicit, `library/` for Docker Hub's official
    /// images, `latest` when no tag or digest is given (`busybox` → `docker.io/library/busybox:latest`).
    public static func normalized(_ image: String) -> ImageReference? {
        guard var ref = try? ImageReference(parsing: image) else { return nil }
        if ref.tag == nil && ref.digest == nil { ref.tag = "latest" }
        return ref
    }
}
