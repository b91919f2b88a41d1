/// One of the appliance's workloads: what it is called, in which tier, as which workload in which
/// namespace, and the HelmRelease that installs it.
public struct ComponentSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case deployment, statefulSet }

    public var name: String
    public var kind: Kind
    /// The Deployment's or StatefulSet's name.
    public var resource: String
    public var tier: ComponentTier
    /// The HelmRelease that installs it (in the model's HelmRelease namespace).
    public var helmRelease: String
    public var namespace: String

    public init(name: String, kind: Kind, resource: String, tier: ComponentTier, helmRelease: String, namespace: String) {
        self.name = name
        self.kind = kind
        self.resource = resource
        self.tier = tier
        self.helmRelease = helmRelease
        self.namespace = namespace
    }
}
