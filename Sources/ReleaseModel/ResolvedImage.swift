import ApplianceModel

/// An image with its tag resolved against one release, or given with `check --ref`.
public struct ResolvedImage: Sendable, Equatable, Encodable {
    public var ref: ImageReference
    public var key: String
    /// Nil for an image given with `--ref`: nothing says which tier it serves, and the policy
    /// treats it as one that blocks the install.
    public var tier: ComponentTier?
    /// Nil for an image given with `--ref`, for the same reason.
    public var loginBlocking: Bool?
    public var source: TagSource
    public var uses: [ImageUse]

    public var components: [String] { uses.map(\.component) }

    /// The tier for a person: `unknown` for an image given with `--ref`.
    public var tierText: String { tier?.rawValue ?? "unknown" }
    /// Whether it blocks login, for a person: `yes`, `no`, or `unknown` for an image given with `--ref`.
    public var loginBlockingText: String { loginBlocking.map { $0 ? "yes" : "no" } ?? "unknown" }

    enum CodingKeys: String, CodingKey { case ref, key, tier, loginBlocking, source, components }

    public init(ref: ImageReference, key: String, tier: ComponentTier?, loginBlocking: Bool?, source: TagSource, uses: [ImageUse]) {
        self.ref = ref
        self.key = key
        self.tier = tier
        self.loginBlocking = loginBlocking
        self.source = source
        self.uses = uses
    }

    /// An image named on the command line: no tier, no components.
    /// An image the install plan found pulled and the model does not declare: no tier, no key.
    public init(undeclared ref: ImageReference, pulledBy: String) {
        self.init(ref: ref, key: ref.description, tier: nil, loginBlocking: nil, source: .undeclared(pulledBy: pulledBy), uses: [])
    }

    /// A chart the install plan finds pulled from an OCI registry.
    public init(chart ref: ImageReference, helmRelease: String) {
        self.init(ref: ref, key: ref.description, tier: nil, loginBlocking: nil, source: .chart(helmRelease: helmRelease), uses: [])
    }

    public init(commandLine ref: ImageReference, text: String) {
        self.init(ref: ref, key: text, tier: nil, loginBlocking: nil, source: .commandLine, uses: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ref.description, forKey: .ref)
        try c.encode(key, forKey: .key)
        try c.encodeIfPresent(tier, forKey: .tier)
        try c.encodeIfPresent(loginBlocking, forKey: .loginBlocking)
        try c.encode(source.description, forKey: .source)
        try c.encode(components, forKey: .components)
    }
}
