import ApplianceModel
import Foundation

public struct BootstrapSummary: Encodable, Sendable, Equatable {
    public var job: String?
    public var revision: Int?
    public var state: BootstrapState
    public var seededUsersCount: Int?
}
