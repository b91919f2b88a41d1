import ApplianceModel
import Foundation

/// In-progress states are progress, not failures.
enum FluxProgress {
    static let progressReasons: Set<String> = ["Progressing", "DependencyNotReady", "ProgressingWithRetry", "Reconciling"]
    static let progressMessages = [
        "reconciliation in progress", "running health checks", "running 'install' action", "running 'upgrade' action",
        "fulfilling prerequisites", "latest generation of object has not been reconciled",
    ]

    static func isProgressing(_ ready: Condition) -> Bool {
        if ready.status == "Unknown" { return true }
        if let reason = ready.reason, progressReasons.contains(reason) { return true }
        let message = (ready.message ?? "").lowercased()
        return progressMessages.contains { message.contains($0) } || (message.contains("dependency") && message.contains("not ready"))
    }
}
