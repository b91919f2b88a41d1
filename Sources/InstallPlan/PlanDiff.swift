import Foundation
import ManifestRender
import YAMLInput
import Yams

/// Two install plans compared object by object (`diff --repo`), as `flux diff` and `helm diff`
/// show an upgrade: objects added, removed, and changed with the fields that changed.
public enum PlanDiff {
    public struct Object: Sendable, Encodable, Equatable {
        public enum Change: String, Sendable, Encodable { case added, removed, changed }
        public struct Field: Sendable, Encodable, Equatable {
            public var path: String
            public var from: String?
            public var to: String?
        }
        /// `Kind namespace/name`.
        public var object: String
        public var change: Change
        public var fields: [Field]
    }

    public static func objects(_ a: InstallPlan, _ b: InstallPlan) -> [Object] {
        let left = index(a)
        let right = index(b)
        var out: [Object] = []
        for (label, fields) in left {
            guard let other = right.first(where: { $0.0 == label })?.1 else {
                out.append(Object(object: label, change: .removed, fields: []))
                continue
            }
            var changed: [Object.Field] = []
            for (path, value) in fields where other[path] != value { changed.append(.init(path: path, from: value, to: other[path])) }
            for (path, value) in other where fields[path] == nil { changed.append(.init(path: path, from: nil, to: value)) }
            if !changed.isEmpty { out.append(Object(object: label, change: .changed, fields: changed.sorted { $0.path < $1.path })) }
        }
        for (label, _) in right where !left.contains(where: { $0.0 == label }) { out.append(Object(object: label, change: .added, fields: [])) }
        return out
    }

    /// Each object of a plan by its label, with its scalars by dotted path.
    static func index(_ plan: InstallPlan) -> [(String, [String: String])] {
        zip(plan.objects, plan.manifests).map { object, manifest in
            let label = PlanObject.label(kind: object.kind, namespace: object.namespace, name: object.name)
            let node = (try? BoundedYAML.document(manifest)) ?? nil
            var fields: [String: String] = [:]
            if let node { flatten(node, path: "", depth: 0, into: &fields) }
            return (label, fields)
        }
    }

    /// Deeper than any Kubernetes object nests; past it the rest is one value.
    static let maximumDepth = 64

    static func flatten(_ node: Node, path: String, depth: Int, into fields: inout [String: String]) {
        switch node {
        case .mapping(let mapping) where depth < maximumDepth:
            for (key, value) in mapping {
                flatten(value, path: path.isEmpty ? (key.string ?? "?") : "\(path).\(key.string ?? "?")", depth: depth + 1, into: &fields)
            }
        case .sequence(let sequence) where depth < maximumDepth:
            for (i, item) in sequence.enumerated() { flatten(item, path: "\(path)[\(i)]", depth: depth + 1, into: &fields) }
        default:
            fields[path] = node.string ?? (try? Yams.serialize(node: node))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        }
    }
}
