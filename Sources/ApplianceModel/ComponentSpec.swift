/// One of the appliance's workloads, as `releases/appliance.json` declares it: what it is called,
/// in which tier, whether login waits for it, as which workload in which namespace, and what
/// installs it.
public struct ComponentSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case deployment = "Deployment"
        case statefulSet = "StatefulSet"
    }

    /// What puts the component on the appliance.
    public enum Installer: String, Sendable, Equatable, CaseIterable {
        /// A HelmRelease or a manifest of the rendered tree, reconciled by Flux.
        case flux
        /// The bootstrap, before Flux runs: not part of the rendered tree.
        case bootstrap
    }

    public var name: String
    public var kind: Kind
    /// The Deployment's or StatefulSet's name.
    public var resource: String
    public var tier: ComponentTier
    public var blocksLogin: Bool
    public var namespace: String
    /// The HelmRelease that installs it (in the model's HelmRelease namespace), if one does.
    public var helmRelease: String?
    public var installedBy: Installer
    public var podRequires: PodRequirements?

    public init(
        name: String, kind: Kind, resource: String, tier: ComponentTier, blocksLogin: Bool? = nil, helmRelease: String?, namespace: String,
        installedBy: Installer = .flux, podRequires: PodRequirements? = nil
    ) {
        self.name = name
        self.kind = kind
        self.resource = resource
        self.tier = tier
        self.blocksLogin = blocksLogin ?? tier.mayBlockLogin
        self.helmRelease = helmRelease
        self.namespace = namespace
        self.installedBy = installedBy
        self.podRequires = podRequires
    }
}
