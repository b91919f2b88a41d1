import ApplianceModel
import Foundation
import ManifestRender
import ReleaseModel
import YAMLInput
import Yams

/// Makes the install plan the way Flux would: kustomize builds the entry and every Flux
/// Kustomization it reaches, helm-controller's value composition feeds `helm template` for every
/// HelmRelease, the HelmRelease's post-renderers run through kustomize, and `PlanRules` judges
/// what came out. The repository is read, never written; scratch files live in a temporary folder.
public struct Planner: Sendable {
    public var repository: URL
    /// Where the rendered tree sits in the repository (`./ee/appliance/flux`).
    public var fluxPath: String
    public var kustomize: ExternalTool
    public var helm: ExternalTool
    public var model: ApplianceModel
    /// The model file problems name (the registry-era appliance's for a registry release).
    public var modelFile = "releases/\(ApplianceDeclaration.fileName)"

    /// No tree reaches deeper: a Kustomization that lists itself again is not followed forever.
    public static let maximumKustomizations = 64
    /// More than an appliance has by far; each costs Helm runs (one, plus one per value path).
    public static let maximumHelmReleases = 64
    /// How long the whole plan may take (`--plan-timeout`), and when that is: every tool run ends by it.
    public var timeout: Double
    var deadline: ContinuousClock.Instant

    public init(
        repository: URL, fluxPath: String, kustomize: ExternalTool, helm: ExternalTool, model: ApplianceModel,
        timeout: Double = 600
    ) {
        self.timeout = timeout
        deadline = .now + .milliseconds(Int64(min(max(timeout, 0), RunLimits.maximumSeconds) * 1000))
        self.repository = repository.standardizedFileURL
        self.fluxPath = fluxPath
        self.kustomize = kustomize
        self.helm = helm
        self.model = model
    }

    /// The entry of `release`: `<flux-path>/releases/<release>` when the tree has one per release,
    /// else `<flux-path>/base` (a tree rendered for one release).
    public func entry(for release: String) -> String {
        let perRelease = Self.joined(fluxPath, "releases/\(release)")
        return FileManager.default.fileExists(atPath: url(perRelease).appendingPathComponent("kustomization.yaml").path)
            ? perRelease : Self.joined(fluxPath, "base")
    }

    /// Where a chart from an OCI HelmRepository comes from (a registry release's plan pulls it):
    /// the chart's reference (`HOST/REPO/NAME:VERSION`) in, its unpacked folder or why not out.
    public typealias ChartSource = @Sendable (_ ref: String) async -> Result<URL, ChartPullFailure>
    public struct ChartPullFailure: Error, Sendable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }
    public var chartSource: ChartSource?

    /// - Parameter extraObjects: what is in the cluster before the tree, which the tree refers to
    ///   (a registry release's runtime-values ConfigMaps, written by the setup engine).
    public func plan(release: String, images: [ResolvedImage], extraObjects: [PlanObject] = []) async throws(PlanFailure) -> InstallPlan {
        let entry = entry(for: release)
        guard FileManager.default.fileExists(atPath: url(entry).path) else {
            throw PlanFailure.input("\(url(entry).path) does not exist: is --repo the repository root and --flux-path where the tree is?")
        }
        do throws(TreeConfinement.Refusal) { try confinement.checkBuild(of: url(entry).path) } catch {
            throw PlanFailure.input("the entry \(entry) cannot be planned: \(error)")
        }
        var tree = try await build(entry, source: "entry") + extraObjects
        var problems: [PlanProblem] = []
        var visited = Set<String>()
        var queue = tree.filter(\.isFluxKustomization)
        while !queue.isEmpty {
            let kustomization = queue.removeFirst()
            guard let path = kustomization.node["spec"]?["path"]?.string, !visited.contains(path) else { continue }
            // A bound reached is said, never a silent end: what lies past it is not judged.
            guard visited.count < Self.maximumKustomizations else {
                problems.append(
                    PlanProblem(
                        .error, .bound, object: kustomization.label,
                        "the plan follows at most \(Self.maximumKustomizations) Flux Kustomizations, and this one (with \(queue.count) more) is past that: what they install is not judged"
                    ))
                break
            }
            visited.insert(path)
            if FileManager.default.fileExists(atPath: url(path).path), !isInside(path) {
                problems.append(
                    PlanProblem(
                        .error, .outsideRepository, object: kustomization.label,
                        "its path \(path) leaves the repository Flux syncs (\(repository.path)), through .. or a link: not built; Flux reads nothing outside its source"
                    ))
                continue
            }
            guard isInside(path), FileManager.default.fileExists(atPath: url(path).path) else {
                problems.append(
                    PlanProblem(
                        .error, .kustomizationPath, object: kustomization.label,
                        "its path \(path) does not exist in the repository Flux syncs (\(repository.path)): Flux stops with \"path not found\""))
                continue
            }
            do throws(TreeConfinement.Refusal) { try confinement.checkBuild(of: url(path).path) } catch {
                problems.append(PlanProblem(.error, error.rule, object: kustomization.label, "not built: \(error)"))
                continue
            }
            let built = try await build(path, source: "kustomization \(kustomization.namespace ?? model.namespaces.flux)/\(kustomization.name)")
            tree += built
            queue += built.filter(\.isFluxKustomization)
        }
        var charts: [String: [PlanObject]] = [:]
        var references: [PlanReference] = []
        var ociCharts: [PlanChart] = []
        var unrendered = Set<String>()
        let helmReleases = tree.filter(\.isHelmRelease)
        guard helmReleases.count <= Self.maximumHelmReleases else {
            throw PlanFailure.input("the tree has \(helmReleases.count) HelmReleases, more than the \(Self.maximumHelmReleases) a plan renders")
        }
        for helmRelease in helmReleases {
            let id = "\(helmRelease.namespace ?? model.namespaces.helmReleases)/\(helmRelease.name)"
            let (values, valueReferences) = try compose(helmRelease, tree: tree)
            references += valueReferences
            let chart: URL
            switch chartDirectory(helmRelease, tree: tree, problems: &problems, references: &references, charts: &ociCharts) {
            case .local(let folder): chart = folder
            case .oci(let ref, let chartSource):
                switch await chartSource(ref) {
                case .success(let folder): chart = folder
                case .failure(let failure):
                    problems.append(PlanProblem(.error, .chartSource, object: helmRelease.label, "its chart \(ref) cannot be pulled: \(failure.reason)"))
                    unrendered.insert(helmRelease.name)
                    continue
                }
            case .none:
                unrendered.insert(helmRelease.name)
                continue
            }
            let text = try await helmTemplate(helmRelease, chart: chart, values: values)
            charts[id] = try await postRender(helmRelease, try parse(text, of: helmRelease))
            problems += try await deadValues(helmRelease, chart: chart, values: values, baseline: text, images: images)
        }
        var collected = PlanRules.Collected(tree: tree, charts: charts, references: references, problems: problems)
        collected.ociCharts = ociCharts
        collected.modelFile = modelFile
        collected.unrendered = unrendered
        return PlanRules.evaluate(collected, release: release, entry: entry, images: images, model: model)
    }

    // MARK: kustomize

    func build(_ path: String, source: String) async throws(PlanFailure) -> [PlanObject] {
        let text: String
        do {
            do {
                text = try await kustomize.run(["kustomize", "--load-restrictor", "LoadRestrictionsNone", url(path).path], limits: try toolLimits())
            } catch .failed(_, _, let stderr) where stderr.contains("unknown flag") {
                // An old kubectl (Debian 12's 1.20) has no load restrictor option; it builds trees
                // that load nothing from outside their roots, as the rendered tree does.
                text = try await kustomize.run(["kustomize", url(path).path], limits: try toolLimits())
            }
        } catch {
            if case .failed(_, _, let stderr) = error {
                throw PlanFailure.tool("kustomize cannot build \(path): \(stderr.prefix(600))")
            }
            throw PlanFailure.tool(error.description)
        }
        do {
            return try PlanObject.parse(text, source: source)
        } catch {
            throw PlanFailure.tool("kustomize's output for \(path) is not YAML: \(error)")
        }
    }

    // MARK: helm-controller

    /// The chart's folder for a HelmRelease whose source is the synced repository; nil (with the
    /// problem said) for one the plan cannot render.
    /// Where a HelmRelease's chart is: a folder of the repository, or an OCI chart to pull.
    enum ChartLocation {
        case local(URL)
        case oci(String, ChartSource)
        case none
    }

    func chartDirectory(
        _ release: PlanObject, tree: [PlanObject], problems: inout [PlanProblem], references: inout [PlanReference], charts: inout [PlanChart]
    ) -> ChartLocation {
        let spec = release.node["spec"]?["chart"]?["spec"]
        guard let chart = spec?["chart"]?.string, let sourceKind = spec?["sourceRef"]?["kind"]?.string else {
            problems.append(PlanProblem(.warning, .chartSource, object: release.label, "names no chart by spec.chart.spec: not rendered"))
            return .none
        }
        let sourceName = spec?["sourceRef"]?["name"]?.string ?? ""
        let sourceNamespace = spec?["sourceRef"]?["namespace"]?.string ?? release.namespace
        let source = tree.first { $0.kind == sourceKind && $0.name == sourceName && ($0.namespace ?? release.namespace) == sourceNamespace }
        let bootstrap = model.provided.contains { $0.kind == sourceKind && $0.name == sourceName && $0.namespace == sourceNamespace }
        references.append(
            PlanReference(
                from: release.label, kind: sourceKind, namespace: sourceNamespace, name: sourceName, key: nil,
                providedBy: source != nil ? .tree : bootstrap ? .bootstrap : .missing, optional: false))
        // A chart in an OCI registry is an artifact the appliance pulls: the gate checks it like an image.
        if sourceKind == "HelmRepository", let source, source.node["spec"]?["type"]?.string == "oci",
            let url = source.node["spec"]?["url"]?.string, url.hasPrefix("oci://")
        {
            let version = spec?["version"]?.string ?? "latest"
            let ref = "\(url.dropFirst("oci://".count))/\(chart):\(ImageReference.helmChartTag(version))"
            charts.append(PlanChart(ref: ref, helmRelease: release.label))
            if let chartSource { return .oci(ref, chartSource) }
        }
        guard sourceKind == "GitRepository" else {
            problems.append(
                PlanProblem(
                    .warning, .chartSource, object: release.label,
                    "its chart \(chart) comes from a \(sourceKind), not the repository: the plan renders charts of the synced repository only"))
            return .none
        }
        let directory = url(chart)
        guard isInside(chart), FileManager.default.fileExists(atPath: directory.appendingPathComponent("Chart.yaml").path) else {
            problems.append(PlanProblem(.error, .chartSource, object: release.label, "its chart \(chart) is not a chart folder of the repository"))
            return .none
        }
        do throws(TreeConfinement.Refusal) { try confinement.checkChart(directory.path) } catch {
            problems.append(PlanProblem(.error, error.rule, object: release.label, "its chart \(chart) is not rendered: \(error)"))
            return .none
        }
        return .local(directory)
    }

    /// The values helm-controller gives the chart (`ValuesMerge.compose`), each valuesFrom source
    /// looked up among the built objects (a ConfigMap or Secret key, YAML), or counted as the
    /// bootstrap's; and who provides each.
    func compose(_ release: PlanObject, tree: [PlanObject]) throws(PlanFailure) -> (Node, [PlanReference]) {
        var references: [PlanReference] = []
        var unreadable: String?
        let namespace = release.namespace ?? model.namespaces.helmReleases
        let values = ValuesMerge.compose(release.node) { source in
            var providedBy = PlanReference.Provider.missing
            var found: Node?
            if let object = tree.first(where: { $0.kind == source.kind && $0.name == source.name && ($0.namespace ?? namespace) == namespace }) {
                if let text = Self.data(of: object, key: source.key) {
                    providedBy = .tree
                    do { found = try BoundedYAML.document(text) } catch {
                        unreadable = unreadable ?? "\(object.label) key \(source.key) (valuesFrom of \(release.label), from \(object.source)): \(error)"
                    }
                }
            } else if model.provided.contains(where: { $0.kind == source.kind && $0.name == source.name && $0.namespace == namespace }) {
                providedBy = .bootstrap
            }
            references.append(
                PlanReference(
                    from: release.label, kind: source.kind, namespace: namespace, name: source.name, key: source.key, providedBy: providedBy,
                    optional: source.optional))
            return found
        }
        if let unreadable { throw PlanFailure.input(unreadable) }
        return (values, references)
    }

    /// A ConfigMap's `data` key, or a Secret's (`stringData`, or base64 `data`).
    static func data(of object: PlanObject, key: String) -> String? {
        if let text = object.node["data"]?[key]?.string {
            guard object.kind == "Secret" else { return text }
            return Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) }
        }
        return object.node["stringData"]?[key]?.string
    }

    /// Flux's defaults: the release is named `[targetNamespace-]name` and installed in the target namespace.
    static func releaseName(_ release: PlanObject) -> (name: String, namespace: String) {
        let target = release.node["spec"]?["targetNamespace"]?.string
        let namespace = target ?? release.namespace ?? "default"
        let name = release.node["spec"]?["releaseName"]?.string ?? (target.map { "\($0)-\(release.name)" } ?? release.name)
        return (name, namespace)
    }

    /// The objects of a chart's rendered text; Helm applies a namespaced object without a
    /// namespace into the release's.
    func parse(_ text: String, of release: PlanObject) throws(PlanFailure) -> [PlanObject] {
        let namespace = Self.releaseName(release).namespace
        do {
            return try PlanObject.parse(text, source: "helmrelease \(release.namespace ?? model.namespaces.helmReleases)/\(release.name)").map { object in
                var object = object
                if object.namespace == nil, !Self.clusterScoped.contains(object.kind), case .mapping(var meta) = object.node["metadata"] ?? .mapping([:]) {
                    meta["namespace"] = Node(namespace)
                    if case .mapping(var root) = object.node {
                        root["metadata"] = .mapping(meta)
                        object.node = .mapping(root)
                    }
                }
                return object
            }
        } catch {
            throw PlanFailure.tool("helm's output for \(release.label) is not YAML: \(error)")
        }
    }

    static let clusterScoped: Set<String> = [
        "Namespace", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "PriorityClass",
    ]

    /// `helm template` of the HelmRelease's chart with `values`, named and placed as Flux would.
    func helmTemplate(_ release: PlanObject, chart: URL, values: Node) async throws(PlanFailure) -> String {
        let (name, namespace) = Self.releaseName(release)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("alga-plan-values-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try Yams.serialize(node: values).write(to: scratch, atomically: true, encoding: .utf8)
        } catch {
            throw PlanFailure.tool("cannot write the values of \(release.label): \(error.localizedDescription)")
        }
        do {
            return try await helm.run(["template", name, chart.path, "--namespace", namespace, "--values", scratch.path], limits: try toolLimits())
        } catch {
            if case .failed(_, _, let stderr) = error { throw PlanFailure.tool("helm template of \(release.label) failed: \(stderr.prefix(600))") }
            throw PlanFailure.tool(error.description)
        }
    }

    /// The HelmRelease's `postRenderers[].kustomize` (images, patches) applied with kustomize, as
    /// helm-controller applies them to the rendered chart.
    func postRender(_ release: PlanObject, _ rendered: [PlanObject]) async throws(PlanFailure) -> [PlanObject] {
        var objects = rendered
        for renderer in release.node["spec"]?["postRenderers"]?.sequence ?? [] {
            guard let step = renderer["kustomize"], case .mapping(let steps) = step else { continue }
            let fm = FileManager.default
            let dir = fm.temporaryDirectory.appendingPathComponent("alga-plan-post-\(UUID().uuidString)")
            defer { try? fm.removeItem(at: dir) }
            var kustomization: Node.Mapping = [:]
            kustomization["resources"] = Node.sequence(Node.Sequence([Node("rendered.yaml")]))
            for (key, value) in steps { kustomization[key] = value }
            do {
                try fm.createDirectory(at: dir, withIntermediateDirectories: true)
                try Yams.serialize(nodes: objects.map(\.node)).write(to: dir.appendingPathComponent("rendered.yaml"), atomically: true, encoding: .utf8)
                try Yams.serialize(node: .mapping(kustomization)).write(to: dir.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
            } catch {
                throw PlanFailure.tool("cannot write the post-render of \(release.label): \(error.localizedDescription)")
            }
            let source = objects.first?.source ?? "helmrelease"
            // The post-renderer's keys are the HelmRelease's: a `resources` entry may name anything.
            do throws(TreeConfinement.Refusal) { try TreeConfinement(root: dir).checkBuild(of: dir.path) } catch {
                throw PlanFailure.input("the postRenderers of \(release.label) cannot be applied: \(error)")
            }
            let built = try await build(dir.path, source: source)
            objects = built
        }
        return objects
    }

    /// An image value path the model sets that changes nothing: render again with that one value
    /// replaced and compare (helm-controller would set it, and nothing would happen).
    /// `baseline` is the chart rendered with `values` as they are.
    func deadValues(
        _ release: PlanObject, chart: URL, values: Node, baseline: String, images: [ResolvedImage]
    ) async throws(PlanFailure)
        -> [PlanProblem]
    {
        let components = Set(model.components.filter { $0.helmRelease == release.name }.map(\.name))
        let paths = images.flatMap { image in
            image.uses.filter { components.contains($0.component) }.flatMap { use in use.values.flatMap { [$0.repository, $0.tag] } }
        }
        var problems: [PlanProblem] = []
        for path in Set(paths).sorted() {
            let probe = ValuesMerge.setting(path, to: "alga-release-plan-probe", in: values)
            let changed = try await helmTemplate(release, chart: chart, values: probe)
            if changed == baseline {
                problems.append(
                    PlanProblem(
                        .error, .deadValue, object: release.label,
                        "the value \(path) that \(modelFile) names changes nothing in the chart's output: no template reads it, so the image it means is never set"
                    ))
            }
        }
        return problems
    }

    /// What each tool run may take (`ExternalTool.Limits.standard`; its time never past the plan's deadline).
    public var limits = ExternalTool.Limits.standard

    /// The next tool run's limits: its own time, or what is left of the plan's if less.
    func toolLimits() throws(ToolFailure) -> ExternalTool.Limits {
        var limits = limits
        limits.seconds = min(limits.seconds, try remaining())
        return limits
    }

    /// Seconds left before the deadline, for the next tool run; none left ends the plan.
    func remaining() throws(ToolFailure) -> Double {
        let left = ContinuousClock.now.duration(to: deadline)
        let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
        guard seconds > 0 else { throw ToolFailure.timedOut(tool: "the plan (--plan-timeout)", seconds: timeout) }
        return seconds
    }

    // MARK: paths

    /// `path` (relative to the repository root, `./` allowed) as a file URL.
    func url(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : repository.appendingPathComponent(path).standardizedFileURL
    }

    /// Whether a path from the tree stays inside the repository (a hostile `../../etc` does not,
    /// nor a link out of it): by its real path; a path that does not exist is judged by its text.
    func isInside(_ path: String) -> Bool {
        guard !path.hasPrefix("/") else { return false }
        let target = url(path).path
        if FileManager.default.fileExists(atPath: target) { return confinement.contains(target) }
        return target == repository.path || target.hasPrefix(repository.path + "/")
    }

    /// What kustomize and Helm may read: the repository, by real paths.
    var confinement: TreeConfinement { TreeConfinement(root: repository) }

    static func joined(_ base: String, _ rest: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + rest
    }
}
