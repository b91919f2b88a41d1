/// What the appliance is, for the status rules and the cluster readers: its components (tier,
/// workload, namespace, HelmRelease), the namespaces the Flux objects live in, and the Flux objects
/// the rules name. The rules and the readers take it as a value, so a test can change it (add a
/// component, move one to another tier, rename a namespace) and see every consumer follow; no
/// component, tier or namespace name is written in their code.
public struct ApplianceModel: Sendable, Equatable {
    public struct Namespaces: Sendable, Equatable {
        /// Where the application's workloads, Jobs and PVCs are.
        public var app: String
        /// Where the HelmReleases are.
        public var helmReleases: String
        /// Where the Flux sources and Kustomizations are.
        public var flux: String

        public init(app: String, helmReleases: String, flux: String) {
            self.app = app
            self.helmReleases = helmReleases
            self.flux = flux
        }
    }

    public var components: [ComponentSpec]
    public var namespaces: Namespaces
    /// The Kustomization whose readiness the platform tier needs.
    public var platformKustomization: String
    /// The Kustomization of the core and login tiers, which depends on the platform's.
    public var coreKustomization: String
    /// The Kustomization of the background tier: its failure does not block login.
    public var backgroundKustomization: String
    /// The HelmRelease that runs the bootstrap Job: its Ready stands for "bootstrap done" once the
    /// Job's TTL removed it, and a forced upgrade of it runs the Job again.
    public var bootstrapHelmRelease: String

    public init(
        components: [ComponentSpec], namespaces: Namespaces, platformKustomization: String, coreKustomization: String, backgroundKustomization: String,
        bootstrapHelmRelease: String
    ) {
        self.components = components
        self.namespaces = namespaces
        self.platformKustomization = platformKustomization
        self.coreKustomization = coreKustomization
        self.backgroundKustomization = backgroundKustomization
        self.bootstrapHelmRelease = bootstrapHelmRelease
    }

    public func named(_ name: String) -> ComponentSpec? { components.first { $0.name == name } }

    /// The tiers' Kustomizations in install order: each depends on the one before it.
    public var tierChain: [String] { [platformKustomization, coreKustomization, backgroundKustomization] }

    public func components(in tier: ComponentTier) -> [ComponentSpec] { components.filter { $0.tier == tier } }

    /// Every namespace a component runs in, the application's first, each once.
    public var workloadNamespaces: [String] {
        var seen = Set<String>()
        return ([namespaces.app] + components.map(\.namespace)).filter { seen.insert($0).inserted }
    }

    /// The appliance as its charts and the rendered tree install it (alga-core is the login tier:
    /// login needs the web app itself, not only what it stands on).
    public static let standard: ApplianceModel = {
        func component(_ name: String, _ kind: ComponentSpec.Kind, _ resource: String, _ tier: ComponentTier, _ helmRelease: String) -> ComponentSpec {
            ComponentSpec(name: name, kind: kind, resource: resource, tier: tier, helmRelease: helmRelease, namespace: "msp")
        }
        return ApplianceModel(
            components: [
                component("alga-core", .deployment, "alga-core-sebastian", .login, "alga-core"),
                component("db", .statefulSet, "db", .core, "alga-core"),
                component("redis", .statefulSet, "redis", .core, "alga-core"),
                component("pgbouncer", .deployment, "pgbouncer", .core, "pgbouncer"),
                component("temporal", .deployment, "temporal", .background, "temporal"),
                component("temporal-ui", .deployment, "temporal-ui", .background, "temporal"),
                component("email-service", .deployment, "email-service", .background, "email-service"),
                component("workflow-worker", .deployment, "workflow-worker", .background, "workflow-worker"),
                component("temporal-worker", .deployment, "temporal-worker", .background, "temporal-worker"),
            ],
            namespaces: Namespaces(app: "msp", helmReleases: "alga-system", flux: "flux-system"),
            platformKustomization: "alga-platform", coreKustomization: "alga-core", backgroundKustomization: "alga-background", bootstrapHelmRelease: "alga-core")
    }()
}
