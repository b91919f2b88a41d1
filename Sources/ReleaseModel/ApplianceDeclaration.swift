import ApplianceModel
import JSONDocument

/// `releases/appliance.json` loaded: the appliance model (what the status rules, the readers and
/// the linter take) and its images (what the gate and the renderer take). Loading is pure: a parsed
/// document in, typed values or every problem out, each with file, line and pointer.
public struct ApplianceDeclaration: Sendable {
    public var model: ApplianceModel
    public var inventory: ImageInventory

    /// The model file's name in a releases directory.
    public static let fileName = "appliance.json"

    /// The model file's contract, `releases/appliance.schema.json` as embedded at build time.
    static let schema: JSONSchema = {
        // A constant of this module (scripts/embed-model writes it; a test compares it with the file), not input.
        guard let parsed = try? JSONParser.parse(Array(EmbeddedModel.schema.utf8)), let schema = try? JSONSchema(parsed.root) else {
            preconditionFailure("the embedded appliance.schema.json does not load; run scripts/embed-model")
        }
        return schema
    }()

    /// This project's own `releases/appliance.json`, as embedded at build time: what appliance-status
    /// runs with (a static binary in a distroless image, with no releases folder beside it).
    public static let embedded: ApplianceDeclaration = {
        // Without the schema: these are build-time bytes, not input (the file they were copied from
        // is checked against it by `validate`, and a test checks the copy), and the schema's
        // patterns would bring the regex engine into appliance-status's memory at every start.
        guard let parsed = try? JSONParser.parse(Array(EmbeddedModel.model.utf8)),
            case (let declaration?, _) = load(parsed, file: "releases/\(fileName)", checkingSchema: false)
        else {
            preconditionFailure("the embedded appliance.json does not load; run scripts/embed-model and alga-release validate")
        }
        return declaration
    }()

    /// The registry-era appliance (`releases/appliance-k3s.json`, embedded): the model a registry
    /// release is judged by. Loaded with its schema, once: it runs in the CLI only.
    public static let k3sFileName = "appliance-k3s.json"
    public static let k3s: (declaration: ApplianceDeclaration?, diagnostics: [Diagnostic]) = {
        guard let parsed = try? JSONParser.parse(Array(EmbeddedModel.k3sModel.utf8)) else { return (nil, []) }
        return load(parsed, file: "releases/\(k3sFileName)")
    }()

    /// Reads a model file named on the command line (`status --model`, `appliance-status --model`).
    public static func read(_ path: String) throws(InputError) -> ApplianceDeclaration {
        let (declaration, diagnostics) = load(try JSONFile.read(path), file: path)
        if let declaration { return declaration }
        let errors = diagnostics.filter { $0.severity == .error }
        let more =
            errors.count > 1 ? " (\(errors.count - 1) more error\(errors.count == 2 ? "" : "s"): alga-release validate RELEASE --model \(path) lists all)" : ""
        throw InputError(
            file: path, reason: "is not a valid appliance model: \(errors.first?.message ?? "no usable content")\(more)", location: errors.first?.location,
            pointer: errors.first?.pointer)
    }

    /// Builds the declaration from a parsed model file. Returns the diagnostics instead of throwing,
    /// so that every problem is reported at once.
    public static func load(_ parsed: ParsedJSON, file: String, checkingSchema: Bool = true) -> (ApplianceDeclaration?, [Diagnostic]) {
        let document = parsed.root
        var diagnostics =
            (checkingSchema ? schema.validate(document).map { Diagnostic(schema: $0, file: file) } : []) + Diagnostic.duplicateKeys(parsed, file: file)
        guard diagnostics.isEmpty else { return (nil, diagnostics) }
        func fail(_ node: JSONNode, _ pointer: JSONPointer, _ message: String, severity: Diagnostic.Severity = .error) {
            diagnostics.append(Diagnostic(severity: severity, rule: "model.entry", file: file, pointer: pointer, location: node.location, message: message))
        }
        // The schema has made every required member present and of its type; `text` reads them.
        func text(_ node: JSONNode?, _ member: String) -> String { node?[member]?.stringValue ?? "" }

        let namespaces = ApplianceModel.Namespaces(
            app: text(document["namespaces"], "app"), helmReleases: text(document["namespaces"], "helmReleases"), flux: text(document["namespaces"], "flux"))
        let ports = ApplianceModel.Ports(login: document["ports"]?["login"]?.intValue ?? 0, status: document["ports"]?["status"]?.intValue ?? 0)
        let kustomizations = document["tierKustomizations"]
        let bootstrap = document["bootstrap"]

        var components: [ComponentSpec] = []
        var componentPointers: [String: JSONPointer] = [:]
        var workloads: [String: JSONPointer] = [:]
        for (i, item) in (document["components"]?.arrayValue ?? []).enumerated() {
            let pointer = JSONPointer(["components", String(i)])
            let name = text(item, "name")
            let tier = ComponentTier(rawValue: text(item, "tier")) ?? .background
            let blocksLogin = item["blocksLogin"]?.boolValue ?? false
            let namespace = text(item, "namespace")
            let workload = item["workload"]
            let kind = ComponentSpec.Kind(rawValue: text(workload, "kind")) ?? .deployment
            let installer = ComponentSpec.Installer(rawValue: text(item, "installedBy")) ?? .flux
            let helmRelease = item["helmRelease"]?.stringValue
            let podRequires = item["podRequires"].map { p in
                PodRequirements(
                    enableServiceLinks: p["enableServiceLinks"]?.boolValue,
                    command: p["command"].map { PodRequirements.Command(container: text($0, "container"), contains: text($0, "contains")) }, why: text(p, "why")
                )
            }
            if let first = componentPointers[name] {
                fail(item["name"] ?? item, pointer.appending("name"), "the component \"\(name)\" is already declared at \(first); names must be unique")
            }
            componentPointers[name] = pointer
            let workloadKey = "\(namespace)/\(kind.rawValue)/\(text(workload, "name"))"
            if let first = workloads[workloadKey] {
                fail(
                    workload ?? item, pointer.appending("workload"),
                    "\(kind.rawValue) \(namespace)/\(text(workload, "name")) is already the workload of \(first); a pod can belong to one component only")
            }
            workloads[workloadKey] = pointer
            if blocksLogin && !tier.mayBlockLogin {
                fail(
                    item["blocksLogin"] ?? item, pointer.appending("blocksLogin"),
                    "a \(tier.rawValue) component never blocks login; set blocksLogin to false or move \(name) to the core or login tier")
            }
            if !blocksLogin && (tier == .core || tier == .login) {
                fail(
                    item["blocksLogin"] ?? item, pointer.appending("blocksLogin"),
                    "login waits for every \(tier.rawValue) component; set blocksLogin to true or move \(name) to the background tier")
            }
            if installer == .bootstrap, podRequires != nil {
                fail(
                    item["podRequires"] ?? item, pointer.appending("podRequires"),
                    "\(name) is installed by the bootstrap, outside the rendered tree, so nothing can check podRequires; remove it")
            }
            if installer == .bootstrap, helmRelease != nil {
                fail(
                    item["helmRelease"] ?? item, pointer.appending("helmRelease"),
                    "\(name) is installed by the bootstrap, not by a HelmRelease; remove helmRelease or set installedBy to flux")
            }
            components.append(
                ComponentSpec(
                    name: name, kind: kind, resource: text(workload, "name"), tier: tier, blocksLogin: blocksLogin, helmRelease: helmRelease,
                    namespace: namespace, installedBy: installer, podRequires: podRequires))
        }
        let byName = Dictionary(components.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let bootstrapRelease = text(bootstrap, "helmRelease")
        if !components.contains(where: { $0.helmRelease == bootstrapRelease }) {
            fail(
                bootstrap?["helmRelease"] ?? document, JSONPointer(["bootstrap", "helmRelease"]),
                "no component is installed by the HelmRelease \"\(bootstrapRelease)\"; name the HelmRelease whose install runs the bootstrap Job")
        }
        let tierNames = [ComponentTier.platform, .core, .background].map { text(kustomizations, $0.rawValue) }
        if Set(tierNames).count != tierNames.count {
            fail(
                kustomizations ?? document, JSONPointer(["tierKustomizations"]),
                "each tier needs a Kustomization of its own (found \(tierNames.joined(separator: ", "))); one depends on the one before it")
        }

        var entries: [InventoryEntry] = []
        var keys: [String: JSONPointer] = [:]
        var imaged = Set<String>()
        for (i, item) in (document["images"]?.arrayValue ?? []).enumerated() {
            let pointer = JSONPointer(["images", String(i)])
            let key = text(item, "key")
            if let first = keys[key] {
                fail(item["key"] ?? item, pointer.appending("key"), "the key \"\(key)\" is already used by \(first); keys must be unique")
            }
            keys[key] = pointer
            var uses: [ImageUse] = []
            var users: [ComponentSpec] = []
            for (j, use) in (item["usedBy"]?.arrayValue ?? []).enumerated() {
                let here = pointer.appending("usedBy").appending(j)
                let name = text(use, "component")
                let values = (use["values"]?.arrayValue ?? []).map { ImageUse.ValuePaths(repository: text($0, "repository"), tag: text($0, "tag")) }
                guard let component = byName[name] else {
                    fail(
                        use["component"] ?? use, here.appending("component"),
                        "no component is named \"\(name)\" (known: \(components.map(\.name).joined(separator: ", ")))")
                    continue
                }
                if !values.isEmpty, component.helmRelease == nil {
                    fail(
                        use["values"] ?? use, here.appending("values"), "values are chart value paths, and \(name) is installed by no HelmRelease; remove them")
                }
                let literal = use["literal"]?.stringValue
                if literal != nil, component.helmRelease == nil {
                    fail(
                        use["literal"] ?? use, here.appending("literal"),
                        "a literal is pinned by a HelmRelease's postRenderers, and \(name) is installed by no HelmRelease; remove it")
                }
                if literal != nil, !values.isEmpty {
                    fail(use, here, "an image reaches a component through value paths or as a literal the chart writes, not both; keep one")
                }
                imaged.insert(name)
                users.append(component)
                uses.append(ImageUse(component: name, values: values, literal: literal))
            }
            let repositoryText = text(item, "repository")
            let repository: ImageReference
            do {
                repository = try ImageReference(parsing: repositoryText)
            } catch {
                fail(item["repository"] ?? item, pointer.appending("repository"), error.description)
                continue
            }
            if repository.tag != nil || repository.digest != nil {
                fail(
                    item["repository"] ?? item, pointer.appending("repository"),
                    "\"\(repositoryText)\" must name a repository only; put the tag in \"tag\" or \"tagFrom\" and the digest in \"digest\"")
                continue
            }
            let digest = item["digest"]?.stringValue
            let source: TagSource
            switch (item["tagFrom"]?.stringValue, item["tag"]?.stringValue) {
            case (let key?, nil):
                guard digest == nil else {
                    fail(
                        item["digest"] ?? item, pointer.appending("digest"), "a digest cannot be pinned for an image whose tag comes from the release (tagFrom)"
                    )
                    continue
                }
                source = .release(key: key)
            case (nil, let tag):
                source = .pinned(tag: tag, digest: digest)
            case (.some, .some):
                fail(item["tag"] ?? item, pointer.appending("tag"), "give either \"tagFrom\" (a release key) or \"tag\" (a pinned tag), not both")
                continue
            }
            guard let tier = users.map(\.tier).min() else { continue }
            entries.append(
                InventoryEntry(
                    key: key, repository: repository, source: source, tier: tier, loginBlocking: users.contains(where: \.blocksLogin), uses: uses,
                    preFlux: users.allSatisfy { $0.installedBy == .bootstrap }, pointer: pointer, location: item.location))
        }
        for (i, component) in components.enumerated() where !imaged.contains(component.name) {
            let pointer = JSONPointer(["components", String(i)])
            fail(
                document.node(at: pointer) ?? document, pointer,
                "no image lists \(component.name) in usedBy, so the registry gate checks nothing it runs; add it to the usedBy of its images",
                severity: .warning)
        }

        var provided: [ProvidedObject] = []
        var purposes: [ProvidedObject.Purpose: JSONPointer] = [:]
        for (i, item) in (document["providedByBootstrap"]?.arrayValue ?? []).enumerated() {
            let pointer = JSONPointer(["providedByBootstrap", String(i)])
            let purpose = ProvidedObject.Purpose(rawValue: text(item, "purpose")) ?? .sharedSecret
            if let first = purposes[purpose] {
                fail(item["purpose"] ?? item, pointer.appending("purpose"), "\(first) is already the \(purpose.rawValue); each purpose names one object")
            }
            purposes[purpose] = pointer
            provided.append(
                ProvidedObject(
                    purpose: purpose, kind: text(item, "kind"), namespace: item["namespace"]?.stringValue, name: text(item, "name"),
                    createdBy: text(item, "createdBy")))
        }
        if provided.first(where: { $0.purpose == .statusToken }).map({ $0.kind != "Secret" || $0.namespace == nil }) ?? true {
            fail(
                document["providedByBootstrap"] ?? document, JSONPointer(["providedByBootstrap"]),
                "name the Secret (with its namespace) that holds the status token, with purpose statusToken: appliance-status mounts it and alga-release status-token prints it"
            )
        }
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        let model = ApplianceModel(
            components: components, namespaces: namespaces, ports: ports, platformKustomization: tierNames[0], coreKustomization: tierNames[1],
            backgroundKustomization: tierNames[2], bootstrapHelmRelease: bootstrapRelease, bootstrapJob: text(bootstrap, "job"), provided: provided)
        return (ApplianceDeclaration(model: model, inventory: ImageInventory(entries: entries, file: file, document: document)), diagnostics)
    }
}

extension ApplianceModel {
    /// This project's own model (`releases/appliance.json`, embedded at build time).
    public static var standard: ApplianceModel { ApplianceDeclaration.embedded.model }
}
