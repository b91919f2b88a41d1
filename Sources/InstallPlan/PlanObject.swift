import ApplianceModel
import ManifestRender
import YAMLInput
import Yams

/// One Kubernetes object the appliance would get, and where the plan found it.
public struct PlanObject {
    public var node: Node
    /// `entry`, `kustomization flux-system/alga-core`, `helmrelease alga-system/alga-core`.
    public var source: String

    public init(node: Node, source: String) {
        self.node = node
        self.source = source
    }

    public var kind: String { node["kind"]?.string ?? "" }
    public var apiVersion: String { node["apiVersion"]?.string ?? "" }
    public var name: String { node["metadata"]?["name"]?.string ?? "" }
    /// Nil for a cluster-scoped object, and for one that leaves it to the namespace it is applied in.
    public var namespace: String? { node["metadata"]?["namespace"]?.string }

    /// `Kind namespace/name` (or `Kind name`), as problems name an object.
    public var label: String { Self.label(kind: kind, namespace: namespace, name: name) }

    /// How the plan names any object it speaks of: what pulls an image, what is referred to.
    public static func label(kind: String, namespace: String?, name: String) -> String { "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)" }

    /// Whether this is the workload the model declares for `component`.
    public func isWorkload(of component: ComponentSpec) -> Bool {
        kind == component.kind.rawValue && name == component.resource && namespace == component.namespace
    }

    /// A Flux object of `group` (`helm.toolkit.fluxcd.io`, `kustomize.toolkit.fluxcd.io`).
    public func isFlux(_ kind: String, group: String) -> Bool { self.kind == kind && apiVersion.hasPrefix(group + "/") }
    public var isHelmRelease: Bool { isFlux("HelmRelease", group: "helm.toolkit.fluxcd.io") }
    /// A Flux Kustomization (not kustomize's own `kustomization.yaml`).
    public var isFluxKustomization: Bool { isFlux("Kustomization", group: "kustomize.toolkit.fluxcd.io") }

    /// Every document of a multi-document YAML text that is a mapping with a kind.
    public static func parse(_ text: String, source: String) throws(BoundedYAML.Refusal) -> [PlanObject] {
        try BoundedYAML.documents(text).compactMap { node in
            guard node["kind"]?.string != nil else { return nil }
            return PlanObject(node: node, source: source)
        }
    }
}
