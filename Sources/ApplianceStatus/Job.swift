import Foundation

public struct Job: Decodable, Sendable, Equatable {
    public struct Status: Decodable, Sendable, Equatable {
        public var active: Int?
        var succeeded: Int?
        public var failed: Int?
        public var conditions: [Condition]?
        var startTime: Date?
        var completionTime: Date?
    }
    public var metadata: ObjectMeta
    public var status: Status?
}
