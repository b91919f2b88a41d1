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

    /// RFC 3339 (`2026-05-12T13:33:06.412309Z`, `...+02:00`), parsed by hand: a snapshot holds
    /// thousands of times, and a Foundation date formatter per time dominated the whole run.
    public static func parseTime(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116, b[13] == 58, b[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if b[index] == 46 {  // '.'
            var scale = 0.1
            index += 1
            let start = index
            while index < b.count, (48...57).contains(b[index]) {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offset = 0
        switch b[index] {
        case 90, 122:  // Z z
            guard index + 1 == b.count else { return nil }
        case 43, 45:  // + -
            guard index + 6 == b.count, b[index + 3] == 58, let oh = number(index + 1, 2), let om = number(index + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
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
