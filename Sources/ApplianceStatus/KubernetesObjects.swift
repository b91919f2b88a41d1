import Foundation

// Typed decoding of the Kubernetes objects the status rules read. Only what a rule needs is typed;
// unknown fields are ignored and missing ones tolerated (real responses carry managedFields and
// much more; recorded ones leave things out).

public struct ObjectMeta: Decodable, Sendable, Equatable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var generation: Int?
    public var creationTimestamp: Date?
    public var deletionTimestamp: Date?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var ownerReferences: [OwnerReference]

    enum CodingKeys: String, CodingKey { case name, namespace, uid, generation, creationTimestamp, deletionTimestamp, labels, annotations, ownerReferences }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
        uid = try c.decodeIfPresent(String.self, forKey: .uid)
        generation = try c.decodeIfPresent(Int.self, forKey: .generation)
        creationTimestamp = try c.decodeIfPresent(Date.self, forKey: .creationTimestamp)
        deletionTimestamp = try c.decodeIfPresent(Date.self, forKey: .deletionTimestamp)
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences) ?? []
    }
}

public struct OwnerReference: Decodable, Sendable, Equatable {
    public var kind: String
    public var name: String
}

/// A status condition (`Ready`, `Complete`, `Available`, ...).
public struct Condition: Decodable, Sendable, Equatable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Date?

    public init(type: String, status: String, reason: String?, message: String?, lastTransitionTime: Date?) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

extension Array where Element == Condition {
    public subscript(type: String) -> Condition? { first { $0.type == type } }
}

public struct Node: Decodable, Sendable, Equatable {
    public struct Address: Decodable, Sendable, Equatable {
        public var type: String
        public var address: String
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var conditions: [Condition]?
        public var addresses: [Address]?
    }
    public var metadata: ObjectMeta
    public var status: Status?

    public var isReady: Bool { status?.conditions?["Ready"]?.status == "True" }
    public var internalIP: String? { status?.addresses?.first { $0.type == "InternalIP" }?.address }
}

public struct Container: Decodable, Sendable, Equatable {
    public var name: String
    public var image: String?
}

public struct ContainerState: Decodable, Sendable, Equatable {
    public struct Waiting: Decodable, Sendable, Equatable {
        public var reason: String?
        public var message: String?
        public init(reason: String?, message: String?) {
            self.reason = reason
            self.message = message
        }
    }
    public struct Running: Decodable, Sendable, Equatable {
        public var startedAt: Date?
    }
    public struct Terminated: Decodable, Sendable, Equatable {
        public var exitCode: Int?
        public var reason: String?
        public var message: String?
        public var startedAt: Date?
        public var finishedAt: Date?
        public init(exitCode: Int?, reason: String?, message: String?, startedAt: Date?, finishedAt: Date?) {
            self.exitCode = exitCode
            self.reason = reason
            self.message = message
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }
    }
    public var waiting: Waiting?
    public var running: Running?
    public var terminated: Terminated?

    public init(waiting: Waiting?, running: Running?, terminated: Terminated?) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

public struct ContainerStatus: Decodable, Sendable, Equatable {
    public var name: String
    public var image: String?
    public var imageID: String?
    public var ready: Bool?
    public var started: Bool?
    public var restartCount: Int?
    public var state: ContainerState?
    public var lastState: ContainerState?
}

public struct Pod: Decodable, Sendable, Equatable {
    public struct Spec: Decodable, Sendable, Equatable {
        public var containers: [Container]?
        public var initContainers: [Container]?
        public var nodeName: String?
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var phase: String?
        public var conditions: [Condition]?
        public var containerStatuses: [ContainerStatus]?
        public var initContainerStatuses: [ContainerStatus]?
        public var startTime: Date?
    }
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    /// Init containers first, as the kubelet runs them.
    /// Init containers first, as the kubelet runs them, each with the spec key events use in their
    /// fieldPath (`initContainers`, `containers`).
    public var containerStatusesBySpecKey: [(specKey: String, status: ContainerStatus)] {
        (status?.initContainerStatuses ?? []).map { ("initContainers", $0) } + (status?.containerStatuses ?? []).map { ("containers", $0) }
    }

    public var allContainerStatuses: [ContainerStatus] { containerStatusesBySpecKey.map(\.status) }
}

public struct ObjectReference: Decodable, Sendable, Equatable {
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var uid: String?
    /// `spec.containers{db}`, `spec.initContainers{volume-prep}`: which container an event is about.
    public var fieldPath: String?
}

/// A core/v1 or events.k8s.io/v1 Event, read into one shape.
public struct Event: Decodable, Sendable, Equatable {
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String
    public var type: String?
    public var count: Int?
    /// When it last happened: lastTimestamp, then series.lastObservedTime, then eventTime, then the
    /// object's creationTimestamp (scheduler events carry only eventTime).
    public var time: Date?

    enum CodingKeys: String, CodingKey {
        case metadata, involvedObject, regarding, reason, message, note, type, count, lastTimestamp, deprecatedLastTimestamp, series, eventTime
        case deprecatedCount
    }
    struct Series: Decodable { var lastObservedTime: Date? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        involvedObject =
            try c.decodeIfPresent(ObjectReference.self, forKey: .involvedObject)
            ?? c.decodeIfPresent(ObjectReference.self, forKey: .regarding) ?? ObjectReference(kind: nil, name: nil, namespace: nil, uid: nil, fieldPath: nil)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        message = try c.decodeIfPresent(String.self, forKey: .message) ?? c.decodeIfPresent(String.self, forKey: .note) ?? ""
        type = try c.decodeIfPresent(String.self, forKey: .type)
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? c.decodeIfPresent(Int.self, forKey: .deprecatedCount)
        let last = try c.decodeIfPresent(Date.self, forKey: .lastTimestamp) ?? c.decodeIfPresent(Date.self, forKey: .deprecatedLastTimestamp)
        let series = try c.decodeIfPresent(Series.self, forKey: .series)?.lastObservedTime
        time = try last ?? series ?? c.decodeIfPresent(Date.self, forKey: .eventTime) ?? metadata.creationTimestamp
    }
}

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

public struct Job: Decodable, Sendable, Equatable {
    public struct Status: Decodable, Sendable, Equatable {
        public var active: Int?
        public var succeeded: Int?
        public var failed: Int?
        public var conditions: [Condition]?
        public var startTime: Date?
        public var completionTime: Date?
    }
    public var metadata: ObjectMeta
    public var status: Status?
}

public struct PersistentVolumeClaim: Decodable, Sendable, Equatable {
    public struct Spec: Decodable, Sendable, Equatable {
        public var storageClassName: String?
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var phase: String?
    }
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?
}

/// A Flux object (Kustomization, HelmRelease, GitRepository, OCIRepository): Ready and its story.
public struct FluxObject: Decodable, Sendable, Equatable {
    public struct Dependency: Decodable, Sendable, Equatable {
        public var name: String
        public var namespace: String?
    }
    public struct Spec: Decodable, Sendable, Equatable {
        public var dependsOn: [Dependency]?
        public var suspend: Bool?
    }
    public struct Artifact: Decodable, Sendable, Equatable {
        public var revision: String?
    }
    public struct Status: Decodable, Sendable, Equatable {
        public var conditions: [Condition]?
        public var observedGeneration: Int?
        public var artifact: Artifact?
        public var lastAppliedRevision: String?
        public var lastAttemptedRevision: String?
    }
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    public var ready: Condition? { status?.conditions?["Ready"] }
}

/// What the API cannot tell: the clock of the observation, /readyz, the login probe, seeded users.
public struct Probes: Decodable, Sendable, Equatable {
    public struct LoginProbe: Codable, Sendable, Equatable {
        public var url: String?
        public var checked: Bool
        public var reachable: Bool
        public var statusCode: Int?
        public var location: String?
        public var error: String?

        public init(url: String?, checked: Bool, reachable: Bool, statusCode: Int?, location: String?, error: String?) {
            self.url = url
            self.checked = checked
            self.reachable = reachable
            self.statusCode = statusCode
            self.location = location
            self.error = error
        }
    }
    public var observedAt: Date?
    public var readyz: String?
    public var loginProbe: LoginProbe?

    /// The /readyz answer when it was read and is not `ok` (nil when it is ok or was not read).
    public var readyzProblem: String? {
        guard let readyz, readyz.trimmingCharacters(in: .whitespacesAndNewlines) != "ok" else { return nil }
        return readyz
    }
    public var seededUsersCount: Int?

    public init(observedAt: Date?, readyz: String?, loginProbe: LoginProbe?, seededUsersCount: Int?) {
        self.observedAt = observedAt
        self.readyz = readyz
        self.loginProbe = loginProbe
        self.seededUsersCount = seededUsersCount
    }
}

/// Everything the status rules read, as decoded from one observation of the cluster.
public struct Snapshot: Sendable, Equatable {
    public var nodes: [Node] = []
    public var pods: [Pod] = []
    public var events: [Event] = []
    public var deployments: [Workload] = []
    public var statefulSets: [Workload] = []
    public var jobs: [Job] = []
    public var persistentVolumeClaims: [PersistentVolumeClaim] = []
    public var kustomizations: [FluxObject] = []
    public var helmReleases: [FluxObject] = []
    public var gitRepositories: [FluxObject] = []
    public var ociRepositories: [FluxObject] = []
    public var probes: Probes?
    /// `logs/<namespace>/<pod>/<container>.previous.log`, keyed by that path without the suffix.
    public var previousLogs: [String: String] = [:]
    /// Set when the API could not be asked at all: the snapshot is then empty for that reason.
    public var apiError: String?

    public init() {}

    /// The observation of a cluster whose API did not answer.
    public static func unreachable(_ error: String, at time: Date) -> Snapshot {
        var snapshot = Snapshot()
        snapshot.apiError = error
        snapshot.probes = Probes(observedAt: time, readyz: nil, loginProbe: nil, seededUsersCount: nil)
        return snapshot
    }
}
