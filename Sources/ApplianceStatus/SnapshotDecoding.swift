import Foundation

/// Decoding of Kubernetes List documents into a snapshot: the one place that knows list kinds.
public enum SnapshotDecoding {
    /// A JSONDecoder for Kubernetes: RFC 3339 times with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseTime(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 time: \(text)"))
            }
            return date
        }
        return decoder
    }

    public static func parseTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    struct Header: Decodable {
        var kind: String?
        var items: [Skip]?
        struct Skip: Decodable {}
    }

    struct Items<T: Decodable>: Decodable { var items: [T] }

    /// An item of a mixed `List` (kubectl get a,b -o json): its own kind says what it is.
    struct Kinded: Decodable { var kind: String? }

    /// Whether `data` is a Kubernetes List; nil when it is some other JSON document.
    public static func listKind(_ data: Data) -> String? {
        guard let header = try? JSONDecoder().decode(Header.self, from: data), let kind = header.kind, kind.hasSuffix("List"),
            header.items != nil
        else { return nil }
        return kind
    }

    /// Adds the items of one List document to `snapshot`. Unknown list kinds are ignored.
    public static func add(_ data: Data, kind: String, to snapshot: inout Snapshot) throws {
        let decoder = decoder()
        switch kind {
        case "NodeList": snapshot.nodes += try decoder.decode(Items<Node>.self, from: data).items
        case "PodList": snapshot.pods += try decoder.decode(Items<Pod>.self, from: data).items
        case "EventList": snapshot.events += try decoder.decode(Items<Event>.self, from: data).items
        case "DeploymentList": snapshot.deployments += try decoder.decode(Items<Workload>.self, from: data).items
        case "StatefulSetList": snapshot.statefulSets += try decoder.decode(Items<Workload>.self, from: data).items
        case "JobList": snapshot.jobs += try decoder.decode(Items<Job>.self, from: data).items
        case "PersistentVolumeClaimList": snapshot.persistentVolumeClaims += try decoder.decode(Items<PersistentVolumeClaim>.self, from: data).items
        case "KustomizationList": snapshot.kustomizations += try decoder.decode(Items<FluxObject>.self, from: data).items
        case "HelmReleaseList": snapshot.helmReleases += try decoder.decode(Items<FluxObject>.self, from: data).items
        case "GitRepositoryList": snapshot.gitRepositories += try decoder.decode(Items<FluxObject>.self, from: data).items
        case "OCIRepositoryList": snapshot.ociRepositories += try decoder.decode(Items<FluxObject>.self, from: data).items
        case "List":
            // Re-encode each item as a one-item list of its own kind.
            let kinds = try JSONDecoder().decode(Items<Kinded>.self, from: data).items
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let items = object["items"] as? [Any] else { return }
            for (kinded, item) in zip(kinds, items) {
                guard let itemKind = kinded.kind else { continue }
                let single = try JSONSerialization.data(withJSONObject: ["kind": itemKind + "List", "items": [item]])
                try add(single, kind: itemKind + "List", to: &snapshot)
            }
        default:
            return
        }
    }
}
