import ApplianceModel
import Foundation

public enum RollupState: String, Encodable, Sendable, Equatable {
    case installing
    case readyToLogIn = "ready_to_log_in"
    case readyWithBackgroundIssues = "ready_with_background_issues"
    case fullyHealthy = "fully_healthy"
    case failedActionRequired = "failed_action_required"
}
