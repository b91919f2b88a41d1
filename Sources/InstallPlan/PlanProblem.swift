/// One thing that would go wrong (or could not be checked) when the appliance installs the entry.
public struct PlanProblem: Sendable, Encodable, Equatable {
    public enum Severity: String, Sendable, Encodable {
        case error, warning
    }

    public var severity: Severity
    public var rule: PlanRule
    /// The object it is about (`HelmRelease alga-system/alga-core`), or the image.
    public var object: String
    public var message: String

    public init(_ severity: Severity, _ rule: PlanRule, object: String, _ message: String) {
        self.severity = severity
        self.rule = rule
        self.object = object
        self.message = message
    }
}
