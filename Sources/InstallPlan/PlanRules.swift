import ApplianceModel
import ReleaseModel
import Yams

/// What the objects the plan collected mean for the appliance: the images pulled and by whom,
/// the objects referred to and who provides them, and the problems. Pure: values in, values out.
public enum PlanRules {
    /// Everything the plan found, before it is judged.
    public struct Collected {
        /// The rendered tree's objects (the entry and every Flux Kustomization it reaches).
        public var tree: [PlanObject]
        /// Each HelmRelease's rendered chart, post-renderers applied, by `namespace/name`.
        public var charts: [String: [PlanObject]]
        /// Referred to by the HelmReleases (their valuesFrom and sources), judged while collecting.
        public var references: [PlanReference]
        public var problems: [PlanProblem]
        /// Charts the HelmReleases pull from OCI registries.
        public var ociCharts: [PlanChart] = []
        /// The model file the problems name (`releases/appliance.json`, or the registry-era one).
        public var modelFile = "releases/\(ApplianceDeclaration.fileName)"
        /// HelmReleases whose chart the plan could not render (names): what they pull is not known.
        public var unrendered: Set<String> = []

        public init(tree: [PlanObject], charts: [String: [PlanObject]], references: [PlanReference], problems: [PlanProblem]) {
            self.tree = tree
            self.charts = charts
            self.references = references
            self.problems = problems
        }

        var all: [PlanObject] { tree + charts.keys.sorted().flatMap { charts[$0] ?? [] } }
    }

    public static func evaluate(_ collected: Collected, release: String, entry: String, images: [ResolvedImage], model: ApplianceModel) -> InstallPlan {
        var problems = collected.problems
        let pulled = pulledImages(collected, images: images, model: model)
        for image in pulled where !image.declared {
            let sites = image.pulledBy.map { "\($0.label) (\($0.isInit ? "init " : "")container \($0.container))" }
            problems.append(
                PlanProblem(
                    .error, .undeclaredImage, object: image.ref,
                    "\(image.ref) is pulled by \(sites.joined(separator: ", ")) but \(collected.modelFile) does not declare it there: the gate never checks it; declare it (and pin it with the HelmRelease's postRenderers when the chart writes it literally)"
                ))
        }
        for image in pulled {
            guard let ref = PodImages.normalized(image.ref), ref.digest == nil, ref.hasMutableTag else { continue }
            problems.append(
                PlanProblem(
                    .error, .mutableImage, object: image.ref,
                    "\(image.ref) has no tag but latest and no digest: every restart may pull something else, and a pull policy of Always contacts the registry each time"
                ))
        }
        let pulledRefs = Set(pulled.compactMap { PodImages.normalized($0.ref)?.taggedReference })
        // An image of a HelmRelease the plan could not render is unknown, not unpulled (the
        // chart-source warning says why).
        let unknown = Set(model.components.filter { $0.helmRelease.map(collected.unrendered.contains) ?? false }.map(\.name))
        for image in images
        where flux(image, model: model) && !pulledRefs.contains(image.ref.taggedReference)
            && !image.components.filter({ model.named($0)?.installedBy == .flux }).allSatisfy(unknown.contains)
        {
            problems.append(
                PlanProblem(
                    .error, .unpulledImage, object: image.ref.description,
                    "the model declares \(image.ref) (\(image.key)) for \(image.components.joined(separator: ", ")), but no rendered workload pulls it: the gate checks an image the appliance never uses"
                ))
        }
        let references = collected.references + podReferences(collected, model: model)
        for reference in references where reference.providedBy == .missing && !reference.optional {
            problems.append(
                PlanProblem(
                    .error, .missingReference, object: reference.from,
                    "\(reference.from) needs \(PlanObject.label(kind: reference.kind, namespace: reference.namespace, name: reference.name))\(reference.key.map { " (key \($0))" } ?? ""), which neither the tree, a chart nor the bootstrap provides"
                ))
        }
        let all = collected.all
        problems += podRequirements(all, model: model)
        let objects = all.map { InstallPlan.Object(kind: $0.kind, namespace: $0.namespace, name: $0.name, source: $0.source) }
        var plan = InstallPlan(release: release, entry: entry, objects: objects, images: pulled, references: references, problems: problems)
        plan.charts = collected.ociCharts
        // One manifest per object, in the objects' order (an object Yams cannot write back is empty).
        plan.manifests = all.map { (try? Yams.serialize(node: $0.node)) ?? "" }
        return plan
    }

    /// Whether an image reaches the appliance through Flux (a component the tree installs uses it).
    static func flux(_ image: ResolvedImage, model: ApplianceModel) -> Bool {
        image.components.contains { model.named($0)?.installedBy == .flux }
    }

    /// The components an object may belong to: the one whose workload it is, else every component
    /// of the HelmRelease that rendered it (a chart's Jobs and helpers).
    static func components(of object: PlanObject, chart: String?, model: ApplianceModel) -> [String] {
        if let own = model.components.first(where: object.isWorkload(of:)) {
            return [own.name]
        }
        guard let chart, let release = chart.split(separator: "/").last.map(String.init) else { return [] }
        return model.components.filter { $0.helmRelease == release }.map(\.name)
    }

    static func pulledImages(_ collected: Collected, images: [ResolvedImage], model: ApplianceModel) -> [PulledImage] {
        var byRef: [String: PulledImage] = [:]
        let sources: [(String?, [PlanObject])] = [(nil, collected.tree)] + collected.charts.keys.sorted().map { ($0, collected.charts[$0] ?? []) }
        for (chart, objects) in sources {
            for object in objects {
                let owners = Set(components(of: object, chart: chart, model: model))
                for container in PodImages.containers(of: object) {
                    let ref = PodImages.normalized(container.image)
                    let key = ref?.description ?? container.image
                    let declared =
                        ref.map { ref in
                            images.contains { $0.ref.taggedReference == ref.taggedReference && !owners.isDisjoint(with: $0.components) }
                        } ?? false
                    let site = PulledImage.Site(
                        kind: object.kind, namespace: object.namespace, name: object.name, container: container.name, isInit: container.isInit,
                        source: object.source)
                    if var existing = byRef[key] {
                        existing.declared = existing.declared && declared
                        existing.pulledBy.append(site)
                        if let policy = container.pullPolicy, !existing.pullPolicy.contains(policy) {
                            existing.pullPolicy = (existing.pullPolicy + [policy]).sorted()
                        }
                        byRef[key] = existing
                    } else {
                        byRef[key] = PulledImage(ref: key, declared: declared, pullPolicy: container.pullPolicy.map { [$0] } ?? [], pulledBy: [site])
                    }
                }
            }
        }
        return byRef.keys.sorted().compactMap { byRef[$0] }
    }

    /// What pods, claims and namespaced objects refer to: Secrets and ConfigMaps (volumes, envFrom,
    /// env), ServiceAccounts, namespaces, StorageClasses.
    static func podReferences(_ collected: Collected, model: ApplianceModel) -> [PlanReference] {
        let tree = collected.tree
        let charts = collected.charts.values.flatMap { $0 }
        func provider(_ kind: String, _ namespace: String?, _ name: String) -> PlanReference.Provider {
            let matches = { (o: PlanObject) in o.kind == kind && o.name == name && (namespace == nil || o.namespace == namespace) }
            if tree.contains(where: matches) { return .tree }
            if charts.contains(where: matches) { return .chart }
            if model.provided.contains(where: { $0.kind == kind && $0.name == name && $0.namespace == namespace }) { return .bootstrap }
            return .missing
        }
        // A HelmRelease that may create its target namespace provides it.
        let created = Set(
            tree.filter { $0.isHelmRelease && $0.node["spec"]?["install"]?["createNamespace"]?.bool == true }
                .compactMap { $0.node["spec"]?["targetNamespace"]?.string ?? $0.namespace })
        var seen = Set<String>()
        var references: [PlanReference] = []
        func add(_ from: PlanObject, _ kind: String, _ namespace: String?, _ name: String, key: String? = nil, optional: Bool = false) {
            let id = "\(from.label)|\(kind)|\(namespace ?? "")|\(name)|\(key ?? "")"
            guard seen.insert(id).inserted else { return }
            var providedBy = provider(kind, namespace, name)
            if kind == "Namespace" && providedBy == .missing && created.contains(name) { providedBy = .tree }
            references.append(
                PlanReference(from: from.label, kind: kind, namespace: namespace, name: name, key: key, providedBy: providedBy, optional: optional))
        }
        for object in tree + charts {
            if let namespace = object.namespace, object.kind != "Namespace" { add(object, "Namespace", nil, namespace) }
            for claim in object.node["spec"]?["volumeClaimTemplates"]?.sequence ?? [] {
                if let storageClass = claim["spec"]?["storageClassName"]?.string { add(object, "StorageClass", nil, storageClass) }
            }
            if object.kind == "PersistentVolumeClaim", let storageClass = object.node["spec"]?["storageClassName"]?.string {
                add(object, "StorageClass", nil, storageClass)
            }
            guard let spec = PodImages.podSpec(of: object) else { continue }
            let namespace = object.namespace
            if let account = spec["serviceAccountName"]?.string, account != "default" { add(object, "ServiceAccount", namespace, account) }
            for volume in spec["volumes"]?.sequence ?? [] {
                if let secret = volume["secret"], let name = secret["secretName"]?.string {
                    add(object, "Secret", namespace, name, optional: secret["optional"]?.bool ?? false)
                }
                if let map = volume["configMap"], let name = map["name"]?.string {
                    add(object, "ConfigMap", namespace, name, optional: map["optional"]?.bool ?? false)
                }
            }
            let containers = (spec["initContainers"]?.sequence ?? []) + (spec["containers"]?.sequence ?? [])
            for container in containers {
                for source in container["envFrom"]?.sequence ?? [] {
                    for (field, kind) in [("secretRef", "Secret"), ("configMapRef", "ConfigMap")] {
                        if let ref = source[field], let name = ref["name"]?.string {
                            add(object, kind, namespace, name, optional: ref["optional"]?.bool ?? false)
                        }
                    }
                }
                for variable in container["env"]?.sequence ?? [] {
                    for (field, kind) in [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")] {
                        if let ref = variable["valueFrom"]?[field], let name = ref["name"]?.string {
                            add(object, kind, namespace, name, key: ref["key"]?.string, optional: ref["optional"]?.bool ?? false)
                        }
                    }
                }
            }
        }
        return references
    }

    /// The model's pod requirements against the pods as rendered.
    static func podRequirements(_ objects: [PlanObject], model: ApplianceModel) -> [PlanProblem] {
        var problems: [PlanProblem] = []
        for component in model.components {
            guard let needs = component.podRequires, let workload = objects.first(where: { $0.isWorkload(of: component) }),
                let spec = PodImages.podSpec(of: workload)
            else { continue }
            if let links = needs.enableServiceLinks, (spec["enableServiceLinks"]?.bool ?? true) != links {
                problems.append(
                    PlanProblem(
                        .error, .podRequirement, object: workload.label,
                        "the rendered pods of \(component.name) need enableServiceLinks: \(links): \(needs.why)"))
            }
            if let command = needs.command {
                let container = spec["containers"]?.sequence?.first { $0["name"]?.string == command.container }
                let words = ((container?["command"]?.sequence ?? []) + (container?["args"]?.sequence ?? [])).compactMap(\.string).joined(separator: " ")
                if !words.contains(command.contains) {
                    problems.append(
                        PlanProblem(
                            .error, .podRequirement, object: workload.label,
                            "the rendered container \(command.container) of \(component.name) does not run \(command.contains): \(needs.why)"))
                }
            }
        }
        return problems
    }
}
