/// What the appliance would install for one release, computed offline the way Flux would.
public struct InstallPlan: Sendable, Encodable {
    public struct Object: Sendable, Encodable, Equatable {
        public var kind: String
        public var namespace: String?
        public var name: String
        public var source: String
    }

    public enum Verdict: String, Sendable, Encodable {
        case pass, fail
    }

    public var release: String
    /// The entry folder Flux's root Kustomization would be pointed at, relative to the repository.
    public var entry: String
    public var objects: [Object]
    public var images: [PulledImage]
    public var references: [PlanReference]
    public var problems: [PlanProblem]
    /// Charts pulled from OCI registries (`oci://` HelmRepositories): artifacts the gate checks too.
    public var charts: [PlanChart] = []
    /// Every object as YAML, for validators (`plan --objects`); not part of the JSON.
    public var manifests: [String] = []

    public var verdict: Verdict { problems.contains { $0.severity == .error } ? .fail : .pass }

    enum CodingKeys: String, CodingKey { case release, entry, objects, images, charts, references, problems, verdict }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(release, forKey: .release)
        try c.encode(entry, forKey: .entry)
        try c.encode(objects, forKey: .objects)
        try c.encode(images, forKey: .images)
        try c.encode(charts, forKey: .charts)
        try c.encode(references, forKey: .references)
        try c.encode(problems, forKey: .problems)
        try c.encode(verdict, forKey: .verdict)
    }
}
