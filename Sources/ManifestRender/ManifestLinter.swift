import ApplianceModel
import Foundation
import ReleaseModel
import Yams

/// One broken invariant in a rendered tree.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var rule: String
    public var message: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): error: \(message) [\(rule)]" }
}

/// Parses every YAML document of a rendered tree back and proves the invariants the appliance
/// depends on. Pure: files in, findings out.
public enum ManifestLinter {
    struct Document {
        var file: String
        var node: Node
        var kind: String { node["kind"]?.string ?? "" }
        var name: String { node["metadata"]?["name"]?.string ?? "" }
    }

    public static let tierChain = ApplianceModel.standard.tierChain
    static let readOnlyVerbs: Set<String> = ["get", "list", "watch"]
    /// Plain scalars Kubernetes' YAML 1.1 reader turns into booleans.
    static let ambiguousPlain: Set<String> = ["y", "n", "yes", "no", "on", "off"]

    public static func lint(_ files: [String: String], inventory: [ResolvedImage]) -> [LintFinding] {
        var findings: [LintFinding] = []
        var documents: [Document] = []
        for (file, text) in files.sorted(by: { $0.key < $1.key }) {
            do {
                for node in try Yams.compose_all(yaml: text) { documents.append(Document(file: file, node: node)) }
            } catch {
                findings.append(LintFinding(file: file, rule: "yaml", message: "does not parse back: \(error)"))
            }
        }
        for document in documents { findings += ambiguousScalars(document.node, file: document.file) }
        findings += tiers(documents)
        findings += helmReleases(documents)
        findings += temporalFixes(documents)
        findings += rbac(documents)
        findings += images(documents, inventory: inventory)
        return findings
    }

    static func finding(_ d: Document, _ node: Node?, _ rule: String, _ message: String) -> LintFinding {
        LintFinding(file: d.file, line: (node ?? d.node).mark?.line, rule: rule, message: message)
    }

    static func ambiguousScalars(_ node: Node, file: String) -> [LintFinding] {
        switch node {
        case .scalar(let s) where s.style == .plain && ambiguousPlain.contains(s.string.lowercased()):
            return [LintFinding(file: file, line: s.mark?.line, rule: "yaml.ambiguous-scalar", message: "plain \(s.string) is a boolean to Kubernetes' YAML reader; quote it if it is a string, or write true/false")]
        case .mapping(let m): return m.flatMap { ambiguousScalars($0.key, file: file) + ambiguousScalars($0.value, file: file) }
        case .sequence(let q): return q.flatMap { ambiguousScalars($0, file: file) }
        default: return []
        }
    }

    static func names(_ dependsOn: Node?) -> [String] {
        (dependsOn?.sequence ?? []).compactMap { $0["name"]?.string }
    }

    /// alga-platform → alga-core → alga-background, and no cycle among any Kustomizations.
    static func tiers(_ documents: [Document]) -> [LintFinding] {
        let kustomizations = documents.filter { $0.kind == "Kustomization" && ($0.node["apiVersion"]?.string ?? "").hasPrefix("kustomize.toolkit.fluxcd.io/") }
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
                findings.append(finding(k, k.node["spec"]?["dependsOn"], "tiers", "\(tier) must depend on \(expected.isEmpty ? "nothing" : expected[0]), not \(edges[tier]!.isEmpty ? "nothing" : edges[tier]!.joined(separator: ", "))"))
            }
        }
        if let cycle = findCycle(edges) {
            findings.append(LintFinding(file: kustomizations.first?.file ?? "flux", rule: "tiers", message: "Kustomization dependsOn cycle: \(cycle.joined(separator: " -> "))"))
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
                    findings.append(finding(r, spec?[phase], "helm.remediation", "HelmRelease \(r.name) has \(phase).remediation.retries \(retries); a transient failure would stay stuck"))
                }
            }
        }
        if let cycle = findCycle(edges) {
            findings.append(LintFinding(file: releases.first?.file ?? "flux", rule: "helm.depends-on", message: "HelmRelease dependsOn cycle: \(cycle.joined(separator: " -> "))"))
        }
        return findings
    }

    /// Temporal runs `entrypoint.sh autosetup`, and Temporal and its UI have `enableServiceLinks: false`.
    static func temporalFixes(_ documents: [Document]) -> [LintFinding] {
        guard let temporal = documents.first(where: { $0.kind == "HelmRelease" && $0.name == "temporal" }) else {
            return [LintFinding(file: "flux", rule: "temporal", message: "the temporal HelmRelease is missing")]
        }
        var patched: [String: Node] = [:]
        for renderer in temporal.node["spec"]?["postRenderers"]?.sequence ?? [] {
            for patch in renderer["kustomize"]?["patches"]?.sequence ?? [] {
                guard let text = patch["patch"]?.string, let node = try? Yams.compose(yaml: text), let name = node["metadata"]?["name"]?.string else { continue }
                patched[name] = node
            }
        }
        var findings: [LintFinding] = []
        for deployment in ["temporal", "temporal-ui"] {
            let spec = patched[deployment]?["spec"]?["template"]?["spec"]
            if spec?["enableServiceLinks"]?.bool != false {
                findings.append(finding(temporal, temporal.node["spec"]?["postRenderers"], "temporal.service-links", "the \(deployment) pods need enableServiceLinks: false (else TEMPORAL_UI_PORT=tcp://... crashes the UI)"))
            }
        }
        let containers = patched["temporal"]?["spec"]?["template"]?["spec"]?["containers"]?.sequence ?? []
        let command = containers.first { $0["name"]?.string == "temporal" }?["command"]?.sequence?.compactMap(\.string).joined(separator: " ") ?? ""
        if !command.contains("/etc/temporal/entrypoint.sh autosetup") {
            findings.append(finding(temporal, temporal.node["spec"]?["postRenderers"], "temporal.autosetup", "the temporal container must run /etc/temporal/entrypoint.sh autosetup (else: sql schema version compatibility check failed)"))
        }
        return findings
    }

    static func rbac(_ documents: [Document]) -> [LintFinding] {
        var findings: [LintFinding] = []
        for role in documents where role.kind == "ClusterRole" || role.kind == "Role" {
            for rule in role.node["rules"]?.sequence ?? [] {
                let verbs = rule["verbs"]?.sequence?.compactMap(\.string) ?? []
                let resources = rule["resources"]?.sequence?.compactMap(\.string) ?? []
                let groups = rule["apiGroups"]?.sequence?.compactMap(\.string) ?? []
                for verb in verbs where !readOnlyVerbs.contains(verb) {
                    findings.append(finding(role, rule, "rbac.read-only", "\(role.kind) \(role.name) grants \"\(verb)\"; the status role may only get, list and watch"))
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
                    findings.append(finding(document, node, "images.latest", "\(ref) uses a mutable tag; pin it in releases/images.json"))
                } else if !known.contains(ref.taggedReference.description) {
                    findings.append(finding(document, node, "images.inventory", "\(ref) is not an image of the release's inventory, so the registry gate never checked it"))
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
