import ApplianceModel
import Foundation

public struct ActiveOperation: Encodable, Sendable, Equatable {
    public var operation: String
    public var component: String?
    public var image: String
    public var pods: [String]
    public var startedAt: Date
    public var elapsedSeconds: Int
    public var estimatedSizeBytes: Int?
    public var progressAvailable = false
}
