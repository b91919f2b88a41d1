import ApplianceModel

/// What a blocker names when no component of the model is its subject: the cluster itself, or
/// the platform tier (a DNS failure of a pod no component owns). A Flux object or a pod outside
/// the model is named by its own name.
public enum BlockerSubject {
    public static let kubernetes = "kubernetes"
    public static let platform = ComponentTier.platform.rawValue
}
