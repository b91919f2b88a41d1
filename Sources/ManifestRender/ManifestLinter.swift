import ApplianceModel
import Foundation
import ReleaseModel
import YAMLInput
import Yams

/// Parses every YAML document of a rendered tree back and proves the invariants the appliance
/// depends on. Pure: files in, findings out.
public enum ManifestLinter {
    struct Document {
        var file: String
        var node: Node
        var kind: String { node["kind"]?.string ?? "" }
        var name: String { node["metadata"]?["name"]?.string ?? "" }
    }

    static let readOnlyVerbs: Set<String> = ["get", "list", "watch"]

    /// The files a release installs from a tree rendered for several: everything but the other
    /// releases' entries (`releases/<version>/`).
    public static func files(_ files: [String: String], of release: String) -> [String: String] {
        let own = Renderer.entry(of: release) + "/"
        return files.filter { !$0.key.hasPrefix("releases/") || $0.key.hasPrefix(own) }
    }

    /// - Parameters:
    ///   - images: the release's images the tree must deploy (the bootstrap's left out).
    ///   - model: the appliance the tree installs: tiers, components, value paths, pod needs.
    public static func lint(_ files: [String: String], images: [ResolvedImage], model: ApplianceModel) -> [LintFinding] {
        var findings: [LintFinding] = []
        var documents: [Document] = []
        for (file, text) in files.sorted(by: { $0.key < $1.key }) {
            do {
                for node in try BoundedYAML.documents(text) { documents.append(Document(file: file, node: node)) }
            } catch {
                findings.append(LintFinding(file: file, rule: "yaml", message: "does not parse back: \(error)"))
            }
        }
        for document in documents { findings += ambiguousScalars(document.node, file: document.file) }
        findings += tiers(documents, chain: model.tierChain)
        findings += placement(documents, model: model)
        findings += namespaces(documents, model: model)
        findings += helmReleases(documents)
        findings += podRequirements(documents, model: model)
        findings += rbac(documents)
        findings += self.images(documents, inventory: images)
        findings += imageValues(documents, images: images, model: model)
        return findings
    }

    static func finding(_ d: Document, _ node: Node?, _ rule: String, _ message: String) -> LintFinding {
        LintFinding(file: d.file, line: (node ?? d.node).mark?.line, rule: rule, message: message)
    }

    static func ambiguousScalars(_ node: Node, file: String) -> [LintFinding] {
        switch node {
        case .scalar(let s) where s.style == .plain && YAMLEmitter.yaml11Booleans.contains(s.string.lowercased()):
            return [
                LintFinding(
                    file: file, line: s.mark?.line, rule: "yaml.ambiguous-scalar",
                    message: "plain \(s.string) is a boolean to Kubernetes' YAML reader; quote it if it is a string, or write true/false")
            ]
        case .mapping(let m): return m.flatMap { ambiguousScalars($0.key, file: file) + ambiguousScalars($0.value, file: file) }
        case .sequence(let q): return q.flatMap { ambiguousScalars($0, file: file) }
        default: return []
        }
    }

    /// The Flux Kustomizations of a tree (not kustomize's own kustomization.yaml files).
    static func fluxKustomizations(_ documents: [Document]) -> [Document] {
        documents.filter { $0.kind == "Kustomization" && ($0.node["apiVersion"]?.string ?? "").hasPrefix("kustomize.toolkit.fluxcd.io/") }
    }

    /// The document that installs a component: its HelmRelease, or without one its own workload.
    static func installer(of component: ComponentSpec, in documents: [Document]) -> Document? {
        documents.first { d in
            if let release = component.helmRelease { return d.kind == "HelmRelease" && d.name == release }
            return d.kind == component.kind.rawValue && d.name == component.resource
        }
    }

    static func names(_ dependsOn: Node?) -> [String] {
        (dependsOn?.sequence ?? []).compactMap { $0["name"]?.string }
    }

    /// The model's tier chain (platform → core → background Kustomizations), and no cycle among any Kustomizations.
    static func tiers(_ documents: [Document], chain tierChain: [String]) -> [LintFinding] {
        let kustomizations = fluxKustomizations(documents)
        var findings: [LintFinding] = []
        var edges: [String: [String]] = [:]
        for k in kustomizations { edges[k.name] = names(k.node["spec"]?["dependsOn"]) }
        for (index, tier) in tierChain.enumerated() {
            guard let k = kustomizations.first(where: { $0.name == tier }) else {
                findings.append(LintFinding(file: "flux", rule: "tiers", message: "the Flux Kustomization \(tier) is missing"))
                continue
            }
            let expected = index == 0 ? [] : [tierChain[index - 1]]
            if edges[tier] != expected {
                findings.append(
                    finding(
                        k, k.node["spec"]?["dependsOn"], "tiers",
                        "\(tier) must depend on \(expected.isEmpty ? "nothing" : expected[0]), not \(edges[tier]!.isEmpty ? "nothing" : edges[tier]!.joined(separator: ", "))"
                    ))
            }
        }
        if let cycle = findCycle(edges) {
            findings.append(
                LintFinding(
                    file: kustomizations.first?.file ?? "flux", rule: "tiers", message: "Kustomization dependsOn cycle: \(cycle.joined(separator: " -> "))"))
        }
        return findings
    }

    static func findCycle(_ edges: [String: [String]]) -> [String]? {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ n: String) -> [String]? {
            if state[n] == 2 { return nil }
            if state[n] == 1 { return stack[stack.firstIndex(of: n)!...] + [n] }
            state[n] = 1
            stack.append(n)
            for m in edges[n] ?? [] { if let c = visit(m) { return c } }
            stack.removeLast()
            state[n] = 2
            return nil
        }
        for n in edges.keys.sorted() { if let c = visit(n) { return c } }
        return nil
    }

    static func helmReleases(_ documents: [Document]) -> [LintFinding] {
        let releases = documents.filter { $0.kind == "HelmRelease" }
        let known = Set(releases.map(\.name))
        var findings: [LintFinding] = []
        var edges: [String: [String]] = [:]
        for r in releases {
            let spec = r.node["spec"]
            edges[r.name] = names(spec?["dependsOn"])
            for dependency in names(spec?["dependsOn"]) where !known.contains(dependency) {
                findings.append(finding(r, spec?["dependsOn"], "helm.depends-on", "HelmRelease \(r.name) depends on \(dependency), which is not rendered"))
            }
            for phase in ["install", "upgrade"] {
                let retries = spec?[phase]?["remediation"]?["retries"]?.int ?? 0
                if retries <= 0 {
                    findings.append(
                        finding(
                            r, spec?[phase], "helm.remediation",
                            "HelmRelease \(r.name) has \(phase).remediation.retries \(retries); a transient failure would stay stuck"))
                }
            }
        }
        if let cycle = findCycle(edges) {
            findings.append(
                LintFinding(
                    file: releases.first?.file ?? "flux", rule: "helm.depends-on", message: "HelmRelease dependsOn cycle: \(cycle.joined(separator: " -> "))"))
        }
        return findings
    }

    /// What the model says a component's pods need (`podRequires`), in the tree: in a post-renderer
    /// patch of its HelmRelease that names its workload, or in its own workload document.
    static func podRequirements(_ documents: [Document], model: ApplianceModel) -> [LintFinding] {
        var findings: [LintFinding] = []
        for component in model.components where component.installedBy == .flux {
            guard let requires = component.podRequires else { continue }
            // A component that is not rendered is placement's finding, not this one's.
            guard let document = installer(of: component, in: documents) else { continue }
            var pods: Node?
            let node: Node?
            if document.kind == "HelmRelease" {
                node = document.node["spec"]?["postRenderers"]
                for renderer in node?.sequence ?? [] {
                    for patch in renderer["kustomize"]?["patches"]?.sequence ?? [] {
                        guard let text = patch["patch"]?.string, let node = try? BoundedYAML.document(text),
                            node["metadata"]?["name"]?.string == component.resource
                        else { continue }
                        pods = node["spec"]?["template"]?["spec"]
                    }
                }
            } else {
                node = document.node
                pods = document.node["spec"]?["template"]?["spec"]
            }
            let why = requires.why.isEmpty ? "" : " (\(requires.why))"
            if let links = requires.enableServiceLinks, pods?["enableServiceLinks"]?.bool != links {
                findings.append(finding(document, node, "pod.service-links", "the \(component.resource) pods need enableServiceLinks: \(links)\(why)"))
            }
            if let command = requires.command {
                let containers = pods?["containers"]?.sequence ?? []
                let text = containers.first { $0["name"]?.string == command.container }?["command"]?.sequence?.compactMap(\.string).joined(separator: " ") ?? ""
                if !text.contains(command.contains) {
                    findings.append(
                        finding(document, node, "pod.command", "the \(command.container) container of \(component.resource) must run \(command.contains)\(why)")
                    )
                }
            }
        }
        return findings
    }

    /// Where the model says each Flux-installed component is: its HelmRelease (or, without one, its
    /// workload) is rendered, and under the Kustomization of the component's tier.
    static func placement(_ documents: [Document], model: ApplianceModel) -> [LintFinding] {
        let kustomizations = fluxKustomizations(documents)
        /// The Kustomization whose path holds a file: its spec.path ends with the file's folder.
        func owner(of file: String) -> String? {
            let folder = (file as NSString).deletingLastPathComponent
            return kustomizations.first { k in
                let path = k.node["spec"]?["path"]?.string ?? ""
                return !folder.isEmpty && (path == folder || path.hasSuffix("/" + folder))
            }?.name
        }
        var findings: [LintFinding] = []
        for component in model.components where component.installedBy == .flux {
            let what = component.helmRelease.map { "HelmRelease \($0)" } ?? "\(component.kind.rawValue) \(component.resource)"
            guard let document = installer(of: component, in: documents) else {
                findings.append(
                    LintFinding(
                        file: "flux", rule: "model.placement",
                        message: "\(what), which installs \(component.name) (tier \(component.tier.rawValue)), is not rendered"))
                continue
            }
            let expected = model.kustomization(for: component.tier)
            let actual = owner(of: document.file)
            if let actual, actual != expected {
                findings.append(
                    finding(
                        document, nil, "model.placement",
                        "\(what) installs \(component.name), a \(component.tier.rawValue) component: it belongs to the Kustomization \(expected), not \(actual)"
                    ))
            } else if actual == nil {
                findings.append(
                    finding(
                        document, nil, "model.placement",
                        "\(what) installs \(component.name), but no tier Kustomization's path holds \(document.file); it belongs to \(expected)"))
            }
        }
        return findings
    }

    /// Every object the model places is in the model's namespace for it: the tier Kustomizations in
    /// the Flux namespace, the HelmReleases in the HelmRelease namespace installing into their
    /// components' namespace, a component's own workload in its namespace. A tree that disagrees
    /// installs where the status rules and the reader never look.
    static func namespaces(_ documents: [Document], model: ApplianceModel) -> [LintFinding] {
        var findings: [LintFinding] = []
        var reported = Set<String>()
        func expect(_ document: Document, _ field: [String], _ expected: String, _ why: String) {
            let node = field.reduce(Optional(document.node)) { $0?[$1] }
            let key = "\(document.file)#\(document.name)#\(field.joined(separator: "."))"
            guard node?.string != expected, reported.insert(key).inserted else { return }
            findings.append(
                finding(
                    document, node, "model.namespace",
                    "\(document.kind) \(document.name) has \(field.joined(separator: ".")) \(node?.string ?? "unset"); the model says \(expected) (\(why))"))
        }
        for name in model.tierChain {
            guard let k = fluxKustomizations(documents).first(where: { $0.name == name }) else { continue }
            expect(k, ["metadata", "namespace"], model.namespaces.flux, "the Flux namespace")
        }
        for component in model.components where component.installedBy == .flux {
            guard let document = installer(of: component, in: documents) else { continue }
            if component.helmRelease != nil {
                expect(document, ["metadata", "namespace"], model.namespaces.helmReleases, "the HelmRelease namespace")
                expect(document, ["spec", "targetNamespace"], component.namespace, "where \(component.name) runs")
            } else {
                expect(document, ["metadata", "namespace"], component.namespace, "where \(component.name) runs")
            }
        }
        return findings
    }

    /// Each image reaches its components at the chart value paths the model names, through the
    /// values the HelmRelease gives its chart (its valuesFrom ConfigMaps, which the release's entry
    /// generates from its values files, then its inline values: helm-controller's order); an image
    /// the chart writes literally is pinned by the HelmRelease's postRenderers instead.
    static func imageValues(_ documents: [Document], images: [ResolvedImage], model: ApplianceModel) -> [LintFinding] {
        var findings: [LintFinding] = []
        for image in images {
            let expectedRepository = "\(image.ref.registry)/\(image.ref.repository)"
            for use in image.uses where !use.values.isEmpty || use.literal != nil {
                guard let component = model.named(use.component), let name = component.helmRelease, let release = installer(of: component, in: documents)
                else { continue }
                if let literal = use.literal {
                    let pins = (release.node["spec"]?["postRenderers"]?.sequence ?? []).flatMap { $0["kustomize"]?["images"]?.sequence ?? [] }
                    let pin = pins.first { $0["name"]?.string == literal }
                    if pin?["newName"]?.string != expectedRepository || pin?["newTag"]?.string.map(Self.tagPart) != image.ref.tag {
                        findings.append(
                            finding(
                                release, pin ?? release.node, "images.values",
                                "HelmRelease \(name) must pin the chart's literal image \(literal) to \(expectedRepository):\(image.ref.tag ?? "a tag") (the \(image.key) image of \(use.component)) with a postRenderers kustomize images entry (name \(literal), newName, newTag)"
                            ))
                    }
                    continue
                }
                let (values, sources) = composedValues(of: release, in: documents)
                for paths in use.values {
                    for (path, expected, what) in [(paths.repository, expectedRepository, "repository"), (paths.tag, image.ref.tag ?? "a tag", "tag")] {
                        let found = ValuesMerge.value(in: values, at: path)
                        let actual = what == "tag" ? found?.string.map(Self.tagPart) : found?.string
                        guard actual != expected else { continue }
                        // Said where the value is written: the values file that sets it, else the HelmRelease.
                        let place = sources.first { ValuesMerge.value(in: $0.node, at: path) != nil } ?? release
                        findings.append(
                            finding(
                                place, ValuesMerge.value(in: place.node, at: path) ?? place.node, "images.values",
                                "HelmRelease \(name) must set \(path) to \(expected) (the \(image.key) image of \(use.component)) through its values; it has \(found?.string.map { "\"\($0)\"" } ?? "nothing there")"
                            ))
                    }
                }
            }
        }
        return findings
    }

    /// A locked tag reads `<tag>@sha256:…`: the tag is what the model resolves.
    static func tagPart(_ tag: String) -> String { tag.split(separator: "@", maxSplits: 1).first.map(String.init) ?? tag }

    /// The values a HelmRelease gives its chart (`ValuesMerge.compose`), its valuesFrom ConfigMaps
    /// being the ones the tree generates; and the values files they came from.
    static func composedValues(of release: Document, in documents: [Document]) -> (values: Node, sources: [Document]) {
        var sources: [Document] = []
        let values = ValuesMerge.compose(release.node) { source in
            guard source.kind == "ConfigMap", let file = generatedFile(configMap: source.name, key: source.key, in: documents),
                let document = documents.first(where: { $0.file == file })
            else { return nil }
            sources.append(document)
            return document.node
        }
        return (values, sources)
    }

    /// The file a kustomization's configMapGenerator makes into ConfigMap `name`'s `key`
    /// (`files: [key=path]`, or `[path]` with the file's name as the key), relative to the tree.
    static func generatedFile(configMap name: String, key: String, in documents: [Document]) -> String? {
        for document in documents where document.kind == "Kustomization" && (document.node["apiVersion"]?.string ?? "").hasPrefix("kustomize.config.k8s.io/") {
            let folder = document.file.split(separator: "/").dropLast().joined(separator: "/")
            for generator in document.node["configMapGenerator"]?.sequence ?? [] where generator["name"]?.string == name {
                for item in generator["files"]?.sequence ?? [] {
                    guard let text = item.string else { continue }
                    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                    let path = parts.count == 2 ? parts[1] : text
                    let itemKey = parts.count == 2 ? parts[0] : String(path.split(separator: "/").last ?? "")
                    if itemKey == key { return folder.isEmpty ? path : "\(folder)/\(path)" }
                }
            }
        }
        return nil
    }

    static func rbac(_ documents: [Document]) -> [LintFinding] {
        var findings: [LintFinding] = []
        for role in documents where role.kind == "ClusterRole" || role.kind == "Role" {
            for rule in role.node["rules"]?.sequence ?? [] {
                let verbs = rule["verbs"]?.sequence?.compactMap(\.string) ?? []
                let resources = rule["resources"]?.sequence?.compactMap(\.string) ?? []
                let groups = rule["apiGroups"]?.sequence?.compactMap(\.string) ?? []
                for verb in verbs where !readOnlyVerbs.contains(verb) {
                    findings.append(
                        finding(role, rule, "rbac.read-only", "\(role.kind) \(role.name) grants \"\(verb)\"; the status role may only get, list and watch"))
                }
                if resources.contains("secrets") {
                    findings.append(finding(role, rule, "rbac.no-secrets", "\(role.kind) \(role.name) grants access to secrets"))
                }
                if (verbs + resources + groups).contains("*") {
                    findings.append(finding(role, rule, "rbac.no-wildcard", "\(role.kind) \(role.name) uses a wildcard"))
                }
            }
        }
        return findings
    }

    /// Every image in the tree is an inventory image of the release (so the gate checked it), never `latest`.
    static func images(_ documents: [Document], inventory: [ResolvedImage]) -> [LintFinding] {
        let known = Set(inventory.map { $0.ref.taggedReference.description })
        var findings: [LintFinding] = []
        for document in documents {
            for (text, node) in imageReferences(document.node) {
                guard let ref = try? ImageReference(parsing: text) else {
                    findings.append(finding(document, node, "images.invalid", "\"\(text)\" is not a valid image reference"))
                    continue
                }
                if ref.hasMutableTag {
                    findings.append(finding(document, node, "images.latest", "\(ref) uses a mutable tag; pin it in releases/\(ApplianceDeclaration.fileName)"))
                } else if !known.contains(ref.taggedReference.description) {
                    findings.append(
                        finding(document, node, "images.inventory", "\(ref) is not an image of the release's inventory, so the registry gate never checked it"))
                }
            }
        }
        return findings
    }

    /// `image: REF` strings, and `image: {repository|name, tag}` mappings as charts take them.
    static func imageReferences(_ node: Node) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            return node.sequence?.flatMap { imageReferences($0) } ?? []
        }
        var found: [(String, Node)] = []
        for (key, value) in mapping {
            if key.string == "image" {
                if let text = value.string {
                    found.append((text, value))
                    continue
                }
                if let repository = (value["repository"] ?? value["name"])?.string, let tag = value["tag"]?.string {
                    found.append(("\(repository):\(tag)", value))
                    continue
                }
            }
            found += imageReferences(value)
        }
        return found
    }
}
