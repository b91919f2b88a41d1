import Foundation

/// A Deployment or StatefulSet: what readiness needs.
public struct Workload: Decodable, Sendable, Equatable {
    public struct Spec: Decodable, Sendable, Equatable {
        var replicas: Int?
    }
    public struct Status: Decodable, Sendable, Equatable {
        var replicas: Int?
        public var readyReplicas: Int?
        var updatedReplicas: Int?
        var availableReplicas: Int?
        var observedGeneration: Int?
        public var conditions: [Condition]?
    }
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    var desiredReplicas: Int { spec?.replicas ?? 1 }
    public var readyReplicas: Int { status?.readyReplicas ?? 0 }
}
