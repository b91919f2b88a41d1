import Foundation

/// A Deployment or StatefulSet: what readiness needs.
public struct Workload: Decodable, Sendable, Equatable {
    public struct Spec: Decodable, Sendable, Equatable {
        public var replicas: Int?
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var replicas: Int?
        public var readyReplicas: Int?
        public var updatedReplicas: Int?
        public var availableReplicas: Int?
        public var observedGeneration: Int?
        public var conditions: [Condition]?
    }
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    public var desiredReplicas: Int { spec?.replicas ?? 1 }
    public var readyReplicas: Int { status?.readyReplicas ?? 0 }
}
