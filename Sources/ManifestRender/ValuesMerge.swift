import Yams

/// How helm-controller composes a HelmRelease's values (and the Helm CLI its `--values` files):
/// maps merge key by key, anything else (a list, a scalar, null) replaces.
public enum ValuesMerge {
    /// Deeper than any values file is written; past it the override replaces (no unbounded recursion
    /// over input).
    public static let maximumDepth = 64

    public static func merge(_ base: Node, _ override: Node, depth: Int = 0) -> Node {
        guard depth < maximumDepth, case .mapping(var into) = base, case .mapping(let from) = override else { return override }
        for (key, value) in from {
            into[key] = into[key].map { merge($0, value, depth: depth + 1) } ?? value
        }
        return .mapping(into)
    }

    /// One `spec.valuesFrom` entry of a HelmRelease, with helm-controller's defaults (kind
    /// ConfigMap, key `values.yaml`).
    public struct Source: Sendable, Equatable {
        public var kind: String
        public var name: String
        public var key: String
        public var optional: Bool
    }

    /// The values a HelmRelease gives its chart, in helm-controller's order: each valuesFrom entry
    /// in turn (the values `lookup` finds for it, if any), then the inline `spec.values`; the
    /// chart's own values.yaml comes first inside Helm. The linter looks sources up in the rendered
    /// files, the plan in the built objects.
    public static func compose(_ release: Node, lookup: (Source) -> Node?) -> Node {
        var values: Node = .mapping([:])
        for entry in release["spec"]?["valuesFrom"]?.sequence ?? [] {
            let source = Source(
                kind: entry["kind"]?.string ?? "ConfigMap", name: entry["name"]?.string ?? "", key: entry["valuesKey"]?.string ?? "values.yaml",
                optional: entry["optional"]?.bool ?? false)
            if let found = lookup(source), case .mapping = found { values = merge(values, found) }
        }
        if let inline = release["spec"]?["values"], case .mapping = inline { values = merge(values, inline) }
        return values
    }

    /// `value` at a dotted path (`db.image.tag`), or nil.
    public static func value(in node: Node, at path: String) -> Node? {
        path.split(separator: ".").reduce(Optional(node)) { node, key in node?[String(key)] }
    }

    /// `node` with `path` set to the string `value`, creating maps on the way.
    public static func setting(_ path: String, to value: String, in node: Node) -> Node {
        let keys = path.split(separator: ".").map(String.init)
        var nested: Node = Node(value, Tag(.str), .doubleQuoted)
        for key in keys.reversed() { nested = .mapping(Node.Mapping([(Node(key), nested)])) }
        return merge(node, nested)
    }
}
