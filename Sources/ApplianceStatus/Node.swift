import Foundation

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
