import Foundation

/// Decoding of Kubernetes List documents into a snapshot: the one place that knows list kinds.
public enum SnapshotDecoding {
    /// A JSONDecoder for Kubernetes: RFC 3339 times with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        return decoder
    }

    /// What a document says about itself: its kind, whether it has items, the continue token.
    struct Header: Decodable {
        var kind: String?
        var items: [Skip]?
        var metadata: ListMeta?
        struct Skip: Decodable {}
        struct ListMeta: Decodable { var `continue`: String? }
    }

    struct Items: Decodable { var items: [Item] }

    /// The item kind a list's items are read as, passed down through `userInfo`: a typed list
    /// (`PodList`) says it once (the API leaves `kind` off its items); a mixed `List` (kubectl get
    /// a,b -o json) leaves each item to say its own.
    static let itemKind = CodingUserInfoKey(rawValue: "alga.itemKind")!

    /// One item, read as the object its kind names, or nothing for a kind the rules do not use.
    /// Decoding never recurses: an item that claims to be a `List` is just an unknown kind.
    struct Item: Decodable {
        var object: Object?
        enum KindKey: String, CodingKey { case kind }

        init(from decoder: any Decoder) throws {
            let kind =
                try (decoder.userInfo[SnapshotDecoding.itemKind] as? String)
                ?? decoder.container(keyedBy: KindKey.self).decodeIfPresent(String.self, forKey: .kind)
            guard let kind, let type = Object.kinds[kind] else { return }
            object = try type(decoder.singleValueContainer())
        }
    }

    /// The kinds a snapshot holds, and where each goes: the one table of them.
    enum Object {
        case node(Node), pod(Pod), event(Event), deployment(Workload), statefulSet(Workload), job(Job)
        case persistentVolumeClaim(PersistentVolumeClaim)
        case kustomization(FluxObject), helmRelease(FluxObject), gitRepository(FluxObject), ociRepository(FluxObject)

        static let kinds: [String: @Sendable (any SingleValueDecodingContainer) throws -> Object] = [
            "Node": { .node(try $0.decode(Node.self)) },
            "Pod": { .pod(try $0.decode(Pod.self)) },
            "Event": { .event(try $0.decode(Event.self)) },
            "Deployment": { .deployment(try $0.decode(Workload.self)) },
            "StatefulSet": { .statefulSet(try $0.decode(Workload.self)) },
            "Job": { .job(try $0.decode(Job.self)) },
            "PersistentVolumeClaim": { .persistentVolumeClaim(try $0.decode(PersistentVolumeClaim.self)) },
            "Kustomization": { .kustomization(try $0.decode(FluxObject.self)) },
            "HelmRelease": { .helmRelease(try $0.decode(FluxObject.self)) },
            "GitRepository": { .gitRepository(try $0.decode(FluxObject.self)) },
            "OCIRepository": { .ociRepository(try $0.decode(FluxObject.self)) },
        ]

        func add(to snapshot: inout Snapshot) {
            switch self {
            case .node(let o): snapshot.nodes.append(o)
            case .pod(let o): snapshot.pods.append(o)
            case .event(let o): snapshot.events.append(o)
            case .deployment(let o): snapshot.deployments.append(o)
            case .statefulSet(let o): snapshot.statefulSets.append(o)
            case .job(let o): snapshot.jobs.append(o)
            case .persistentVolumeClaim(let o): snapshot.persistentVolumeClaims.append(o)
            case .kustomization(let o): snapshot.kustomizations.append(o)
            case .helmRelease(let o): snapshot.helmReleases.append(o)
            case .gitRepository(let o): snapshot.gitRepositories.append(o)
            case .ociRepository(let o): snapshot.ociRepositories.append(o)
            }
        }
    }

    /// What one document says about itself, read once: its List kind (nil when it is some other
    /// JSON document), how many items it holds, and the token of the next page, if any.
    public struct ListHeader: Sendable, Equatable {
        public var kind: String?
        public var items: Int
        public var continueToken: String?
    }

    /// - Throws: when `data` is not JSON at all.
    public static func header(_ data: Data) throws -> ListHeader {
        let header = try JSONDecoder().decode(Header.self, from: data)
        let isList = header.kind.map { $0.hasSuffix("List") } == true && header.items != nil
        return ListHeader(kind: isList ? header.kind : nil, items: header.items?.count ?? 0, continueToken: header.metadata?.continue)
    }

    /// Whether `data` is a Kubernetes List; nil when it is some other JSON document.
    /// - Throws: when `data` is not JSON at all.
    public static func listKind(_ data: Data) throws -> String? {
        try header(data).kind
    }

    /// Adds the items of one List document to `snapshot`. Unknown kinds are ignored.
    public static func add(_ data: Data, kind: String, to snapshot: inout Snapshot) throws {
        let decoder = decoder()
        // `List` is the mixed list; every other kind is typed, and its items are of its kind.
        if kind != "List" {
            let items = String(kind.dropLast("List".count))
            guard Object.kinds[items] != nil else { return }
            decoder.userInfo[Self.itemKind] = items
        }
        for item in try decoder.decode(Items.self, from: data).items { item.object?.add(to: &snapshot) }
    }
}
