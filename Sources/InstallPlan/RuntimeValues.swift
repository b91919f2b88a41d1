import ApplianceModel
import Foundation
import ManifestRender
import ReleaseModel
import YAMLInput
import Yams

/// What the setup engine writes before Flux installs a registry release (spec §4): for each chart
/// the release's `profileValues["<name>.<profile>.yaml"]` with the scalars it sets, as the
/// ConfigMap `appliance-values-<name>` in `alga-system` (key `<name>.<profile>.yaml`, no name hash),
/// which the bundle's HelmReleases take their values from. Pure: the document and the app URL in.
public enum RuntimeValues {
    /// The app URL when `--app-url` is not given: what a fresh appliance answers on its own name.
    public static let defaultAppURL = "https://alga.local"

    public static func configMapName(_ chart: String) -> String { "appliance-values-\(chart)" }

    /// The scalars the setup engine sets in each chart's values, by HelmRelease and dotted path:
    /// every release-tagged image's tag at the tag paths the model names for it (the repository is
    /// the chart's own); on the bootstrap's chart `bootstrap.mode` (`recover`), `appUrl`, and, for an
    /// app hostname, `host` and an empty `domainSuffix`; on the temporal worker's `publicBaseUrl`.
    public static func scalars(
        document: RegistryReleaseDocument, model: ApplianceModel, inventory: ImageInventory, appURL: String
    )
        -> [String: [(path: String, value: String)]]
    {
        var set: [String: [(path: String, value: String)]] = [:]
        for entry in inventory.entries {
            guard case .release(let key) = entry.source, let tag = document.tag(for: key) else { continue }
            for use in entry.uses {
                guard let chart = model.named(use.component)?.helmRelease else { continue }
                set[chart, default: []] += use.values.map { ($0.tag, tag) }
            }
        }
        var bootstrap: [(path: String, value: String)] = [("bootstrap.mode", "recover"), ("appUrl", appURL)]
        if let host = URLComponents(string: appURL)?.host { bootstrap += [("host", host), ("domainSuffix", "")] }
        set[model.bootstrapHelmRelease, default: []] += bootstrap
        let worker = inventory.entries.first { $0.key == "temporalWorker" }?.uses.first.flatMap { model.named($0.component)?.helmRelease }
        if let worker { set[worker, default: []].append(("publicBaseUrl", appURL)) }
        return set
    }

    /// The ConfigMaps, as objects of the plan (source: the setup engine); a values file that is
    /// not YAML is a failure naming it.
    public static func configMaps(
        _ document: RegistryReleaseDocument, model: ApplianceModel, inventory: ImageInventory, appURL: String
    ) throws(PlanFailure) -> [PlanObject] {
        let scalars = scalars(document: document, model: model, inventory: inventory, appURL: appURL)
        var objects: [PlanObject] = []
        for chart in RegistryReleaseDocument.profileNames {
            let key = document.profileFile(chart)
            guard let text = document.profileText(chart) else { continue }
            var node: Node
            do { node = try BoundedYAML.document(text) ?? .mapping([:]) } catch {
                throw PlanFailure.input("profileValues[\(key)] of the release: \(error)")
            }
            for (path, value) in scalars[chart] ?? [] { node = ValuesMerge.setting(path, to: value, in: node) }
            let yaml = (try? Yams.serialize(node: node)) ?? ""
            var data = Node.Mapping([])
            data[Node(key)] = Node(yaml, Tag(.str), .literal)
            var metadata = Node.Mapping([])
            metadata[Node("name")] = Node(configMapName(chart))
            metadata[Node("namespace")] = Node(model.namespaces.helmReleases)
            var root = Node.Mapping([])
            root[Node("apiVersion")] = Node("v1")
            root[Node("kind")] = Node("ConfigMap")
            root[Node("metadata")] = .mapping(metadata)
            root[Node("data")] = .mapping(data)
            objects.append(PlanObject(node: .mapping(root), source: "the setup engine"))
        }
        return objects
    }

    /// The release's `charts` against what the bundle's HelmReleases pull: a chart pulled at
    /// another version than the release says, a chart pulled that it does not list, and one it
    /// lists that nothing pulls (its gate checks a chart the appliance never uses).
    public static func chartProblems(_ document: RegistryReleaseDocument, pulled: [PlanChart]) -> [PlanProblem] {
        let listed = Dictionary(document.charts.map { ($0.name, ImageReference.helmChartTag($0.version)) }, uniquingKeysWith: { first, _ in first })
        var problems: [PlanProblem] = []
        var seen = Set<String>()
        for chart in pulled {
            guard let colon = chart.ref.lastIndex(of: ":"), let slash = chart.ref.lastIndex(of: "/") else { continue }
            let name = String(chart.ref[chart.ref.index(after: slash)..<colon])
            let version = String(chart.ref[chart.ref.index(after: colon)...])
            seen.insert(name)
            switch listed[name] {
            case nil:
                problems.append(
                    PlanProblem(
                        .error, .releaseCharts, object: chart.helmRelease,
                        "pulls the chart \(name) \(version), which the release's charts does not list: the gate does not check it"))
            case let listedVersion? where listedVersion != version:
                problems.append(
                    PlanProblem(
                        .error, .releaseCharts, object: chart.helmRelease,
                        "pulls the chart \(name) at \(version), but the release's charts says \(listedVersion): the gate checked another version than the appliance pulls"
                    ))
            default: break
            }
        }
        for chart in document.charts where !seen.contains(chart.name) {
            problems.append(
                PlanProblem(
                    .warning, .releaseCharts, object: "release", "lists the chart \(chart.name) \(chart.version), which no HelmRelease of the bundle pulls"))
        }
        return problems
    }
}
