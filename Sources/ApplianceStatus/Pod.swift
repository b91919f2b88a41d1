import Foundation

public struct Pod: Decodable, Sendable, Equatable {
    public struct Spec: Decodable, Sendable, Equatable {
        public var containers: [Container]?
        var initContainers: [Container]?
        var nodeName: String?
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var phase: String?
        public var conditions: [Condition]?
        public var containerStatuses: [ContainerStatus]?
        var initContainerStatuses: [ContainerStatus]?
        var startTime: Date?
    }
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    /// Init containers first, as the kubelet runs them.
    /// Init containers first, as the kubelet runs them, each with the spec key events use in their
    /// fieldPath (`initContainers`, `containers`).
    var containerStatusesBySpecKey: [(specKey: String, status: ContainerStatus)] {
        (status?.initContainerStatuses ?? []).map { ("initContainers", $0) } + (status?.containerStatuses ?? []).map { ("containers", $0) }
    }

    public var allContainerStatuses: [ContainerStatus] { containerStatusesBySpecKey.map(\.status) }
}
