/// An image the appliance would pull, with every container that pulls it.
public struct PulledImage: Sendable, Encodable, Equatable {
    /// Where one container pulls it.
    public struct Site: Sendable, Encodable, Equatable {
        public var kind: String
        public var namespace: String?
        public var name: String
        public var container: String
        /// An init container.
        public var isInit: Bool
        public var source: String

        /// `Kind namespace/name`, as `PlanObject.label` says it.
        public var label: String { PlanObject.label(kind: kind, namespace: namespace, name: name) }

        enum CodingKeys: String, CodingKey {
            case kind, namespace, name, container
            case isInit = "init"
            case source
        }
    }

    /// Normalized: `docker.io/library/busybox:latest`.
    public var ref: String
    /// Whether the model declares it for every workload that pulls it.
    public var declared: Bool
    /// The pull policies written (nil where the kubelet's default applies), sorted.
    public var pullPolicy: [String]
    public var pulledBy: [Site]
}
