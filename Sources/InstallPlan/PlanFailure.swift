/// Why no plan could be made (exit 2): the repository or entry is not there, or kustomize or Helm
/// could not do its part. The reason is one line a person can act on.
public enum PlanFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case input(String)
    case tool(String)

    public var description: String {
        switch self {
        case .input(let reason), .tool(let reason): reason
        }
    }
}
