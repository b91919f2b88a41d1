import Foundation

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
