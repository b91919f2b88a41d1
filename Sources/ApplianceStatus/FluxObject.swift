import Foundation

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
        var observedGeneration: Int?
        public var artifact: Artifact?
        public var lastAppliedRevision: String?
        var lastAttemptedRevision: String?
    }
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    public var ready: Condition? { status?.conditions?["Ready"] }
}
