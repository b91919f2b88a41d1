/// An object the tree refers to by name, and who makes it.
public struct PlanReference: Sendable, Encodable, Equatable {
    public enum Provider: String, Sendable, Encodable {
        /// An object of the rendered tree (the entry or a tier).
        case tree
        /// An object a chart renders.
        case chart
        /// The bootstrap (the model's `providedByBootstrap`).
        case bootstrap
        /// Nobody: the install stops here.
        case missing
    }

    /// The referring object (`HelmRelease alga-system/alga-core`).
    public var from: String
    public var kind: String
    public var namespace: String?
    public var name: String
    /// The key inside it, where one is named (a valuesFrom key, a Secret key).
    public var key: String?
    public var providedBy: Provider
    /// Whether a missing one stops nothing (`optional: true`).
    public var optional: Bool
}
