import Foundation

/// `releases/appliance.json` changed as a dictionary, the way a person edits it (a field at a time),
/// and written back as pretty JSON: for tests that give every consumer a modified model.
public func modelText(_ change: (inout [String: Any]) -> Void) throws -> String {
    let url = URL(fileURLWithPath: releasesDirectory).appendingPathComponent("appliance.json")
    guard var model = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    change(&model)
    return String(decoding: try JSONSerialization.data(withJSONObject: model, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
}

/// Changes the entry at `index` of the list `list` (`components`, `images`) of a model dictionary.
public func edit(_ model: inout [String: Any], _ list: String, _ index: Int, _ change: (inout [String: Any]) -> Void) {
    var items = model[list] as? [[String: Any]] ?? []
    guard items.indices.contains(index) else { return }
    change(&items[index])
    model[list] = items
}

/// Appends an entry to the list `list` of a model dictionary.
public func append(_ model: inout [String: Any], _ list: String, _ entry: [String: Any]) {
    model[list] = (model[list] as? [[String: Any]] ?? []) + [entry]
}

/// The model changes every consumer must follow (#12): a new background component with an image of
/// its own, a core component moved to the background tier, and the application moved to another
/// namespace.
public enum ModelChange: String, CaseIterable, Sendable {
    case newBackgroundComponent
    case pgbouncerInBackground
    case applicationInNamespaceAlga

    public func apply(_ model: inout [String: Any]) {
        switch self {
        case .newBackgroundComponent:
            append(
                &model, "components",
                [
                    "name": "search-indexer", "tier": "background", "blocksLogin": false, "namespace": "msp", "installedBy": "flux",
                    "workload": ["kind": "Deployment", "name": "search-indexer"], "helmRelease": "search",
                ])
            append(
                &model, "images",
                [
                    "key": "searchIndexer", "repository": "ghcr.io/nine-minds/search-indexer", "tag": "1.0.0",
                    "usedBy": [["component": "search-indexer", "values": [["repository": "image.repository", "tag": "image.tag"]]]],
                ])
        case .pgbouncerInBackground:
            let components = model["components"] as? [[String: Any]] ?? []
            guard let index = components.firstIndex(where: { $0["name"] as? String == "pgbouncer" }) else { return }
            edit(&model, "components", index) {
                $0["tier"] = "background"
                $0["blocksLogin"] = false
            }
        case .applicationInNamespaceAlga:
            var namespaces = model["namespaces"] as? [String: Any] ?? [:]
            let old = namespaces["app"] as? String
            namespaces["app"] = "alga"
            model["namespaces"] = namespaces
            for i in 0..<((model["components"] as? [Any])?.count ?? 0) {
                edit(&model, "components", i) { if $0["namespace"] as? String == old { $0["namespace"] = "alga" } }
            }
        }
    }

    public var text: String {
        get throws { try modelText(apply) }
    }
}
