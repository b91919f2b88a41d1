/// The tier a component belongs to, in the order the appliance comes up (the order of the status
/// page's tiers). Login needs every `platform`, `core` and `login` component that blocks login (and
/// the bootstrap, a rule over its Job); `background` never blocks login.
public enum ComponentTier: String, Codable, Sendable, Equatable, CaseIterable, Comparable {
    case platform, core, login, background

    public static func < (a: ComponentTier, b: ComponentTier) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }

    /// Whether a component of this tier may block login (the model file's loader checks each
    /// component's `blocksLogin` against it).
    public var mayBlockLogin: Bool { self != .background }
}
