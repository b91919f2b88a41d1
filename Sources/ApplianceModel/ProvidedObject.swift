/// An object the rendered tree relies on but does not contain: the bootstrap (or a command of
/// this tool) makes it. The install plan counts these as provided instead of missing.
public struct ProvidedObject: Sendable, Equatable {
    /// What the tree uses it for: how a consumer finds the one it needs.
    public enum Purpose: String, Sendable, Equatable, CaseIterable {
        case fluxNamespace, gitRepository, rootKustomization, statusToken, sharedSecret, storageClass, releaseSelection, siteValues
    }

    public var purpose: Purpose
    public var kind: String
    /// Nil for a cluster-scoped object (a StorageClass, a Namespace).
    public var namespace: String?
    public var name: String
    /// What creates it, in words a person can act on (`alga-release status-token`, `install-storage.sh`).
    public var createdBy: String

    /// `namespace/name`, or the name of a cluster-scoped object.
    public var qualifiedName: String { namespace.map { "\($0)/\(name)" } ?? name }

    public init(purpose: Purpose, kind: String, namespace: String?, name: String, createdBy: String) {
        self.purpose = purpose
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.createdBy = createdBy
    }
}
