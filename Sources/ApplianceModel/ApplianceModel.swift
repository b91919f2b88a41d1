/// What the appliance is: its components (tier, workload, namespace, what installs them), the
/// namespaces the Flux objects live in, the Flux objects the rules name, and what the bootstrap
/// provides. `releases/appliance.json` declares it (ReleaseModel's `ApplianceDeclaration` loads it;
/// `ApplianceModel.standard` is that file, embedded). The gate, the renderer, the linter, the status
/// rules and the readers take it as a value, so a test can change it (add a component, move one to
/// another tier, rename a namespace) and see every consumer follow; no component, tier or namespace
/// name is written in their code.
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

    /// The node ports of the web app and of the status page.
    public struct Ports: Sendable, Equatable {
        public var login: Int
        public var status: Int

        public init(login: Int, status: Int) {
            self.login = login
            self.status = status
        }
    }

    public var components: [ComponentSpec]
    public var namespaces: Namespaces
    public var ports: Ports
    /// The Kustomization whose readiness the platform tier needs.
    public var platformKustomization: String
    /// The Kustomization of the core and login tiers, which depends on the platform's.
    public var coreKustomization: String
    /// The Kustomization of the background tier: its failure does not block login.
    public var backgroundKustomization: String
    /// The HelmRelease that runs the bootstrap Job: its Ready stands for "bootstrap done" once the
    /// Job's TTL removed it, and a forced upgrade of it runs the Job again.
    public var bootstrapHelmRelease: String
    /// The bootstrap Job's name before its `-r<revision>` suffix.
    public var bootstrapJob: String
    /// What the tree relies on and the bootstrap provides.
    public var provided: [ProvidedObject]

    public init(
        components: [ComponentSpec], namespaces: Namespaces, ports: Ports, platformKustomization: String, coreKustomization: String,
        backgroundKustomization: String,
        bootstrapHelmRelease: String, bootstrapJob: String, provided: [ProvidedObject] = []
    ) {
        self.components = components
        self.namespaces = namespaces
        self.ports = ports
        self.platformKustomization = platformKustomization
        self.coreKustomization = coreKustomization
        self.backgroundKustomization = backgroundKustomization
        self.bootstrapHelmRelease = bootstrapHelmRelease
        self.bootstrapJob = bootstrapJob
        self.provided = provided
    }

    /// The web app on a node: the login probe's default target. `host` is a name or an address
    /// (an IPv6 one is bracketed here).
    public func loginURL(host: String) -> String { url(host, ports.login) }
    public func statusURL(host: String) -> String { url(host, ports.status) }

    private func url(_ host: String, _ port: Int) -> String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    public func provided(_ purpose: ProvidedObject.Purpose) -> ProvidedObject? { provided.first { $0.purpose == purpose } }

    public func named(_ name: String) -> ComponentSpec? { components.first { $0.name == name } }

    /// The tiers' Kustomizations in install order: each depends on the one before it.
    public var tierChain: [String] { [platformKustomization, coreKustomization, backgroundKustomization] }

    /// The Flux Kustomization that installs a tier's objects (the login tier's is the core one).
    public func kustomization(for tier: ComponentTier) -> String {
        switch tier {
        case .platform: platformKustomization
        case .core, .login: coreKustomization
        case .background: backgroundKustomization
        }
    }

    public func components(in tier: ComponentTier) -> [ComponentSpec] { components.filter { $0.tier == tier } }

    /// The components the status follows one by one: every tier but the platform's, which the
    /// status judges by its Kustomization, the node and the API (its components run outside the
    /// application's namespaces, and one of them is the status server itself).
    public var statusComponents: [ComponentSpec] { components.filter { $0.tier != .platform } }

    /// Every namespace a followed component runs in, the application's first, each once.
    public var workloadNamespaces: [String] {
        var seen = Set<String>()
        return ([namespaces.app] + statusComponents.map(\.namespace)).filter { seen.insert($0).inserted }
    }
}
