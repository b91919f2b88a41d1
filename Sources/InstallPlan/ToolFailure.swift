/// Why a tool the plan needs could not do its part. `missing` and `couldNotStart` mean the plan
/// cannot be made at all (exit 2); `failed` is the tool's own refusal, quoted.
public enum ToolFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(tool: String, hint: String)
    case couldNotStart(tool: String, reason: String)
    case timedOut(tool: String, seconds: Double)
    case failed(tool: String, status: Int32, stderr: String)
    case outputTooLarge(tool: String, limit: Int)
    case outOfMemory(tool: String, limit: Int)

    public var description: String {
        switch self {
        case .missing(let tool, let hint): "\(tool) is not installed: \(hint)"
        case .couldNotStart(let tool, let reason): "\(tool) could not be started: \(reason)"
        case .timedOut(let tool, let seconds): "\(tool) did not finish within \(Int(seconds)) s"
        case .failed(let tool, let status, let stderr): "\(tool) exited \(status): \(stderr.isEmpty ? "no message" : String(stderr.prefix(600)))"
        case .outputTooLarge(let tool, let limit): "\(tool) wrote \(limit >> 20) MiB or more; no plan is that large"
        case .outOfMemory(let tool, let limit):
            "\(tool) ran out of its \(limit >> 20) MiB of address space (a YAML alias bomb or a looping template does); no plan needs that much"
        }
    }
}
