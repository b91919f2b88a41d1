import Foundation
import JSONDocument

/// The release document of a registry release (`schema: alga.appliance.release/v1`, the config blob
/// of the release artifact), after its schema. Only what the tool uses is typed; the parsed
/// document is kept for locations.
public struct RegistryReleaseDocument: Sendable {
    public static let schemaName = "alga.appliance.release/v1"
    /// The profile the appliance uses when the document names none.
    public static let defaultProfile = "single-node"
    /// The charts whose runtime values the setup engine composes, each from `profileValues`: the
    /// registry-era appliance's HelmReleases (`appliance-k3s.json`), in its order.
    public static let profileNames: [String] = {
        var seen = Set<String>()
        return (ApplianceDeclaration.k3s.declaration?.model.components ?? []).compactMap(\.helmRelease).filter { seen.insert($0).inserted }
    }()

    public var version: String
    public var channel: String
    public var valuesProfile: String
    /// `images`: key → tag, in document order.
    public var imageTags: [(key: String, tag: String)]
    public var controlPlane: String
    public var config: (repository: String, tag: String, digest: String)
    /// `charts`: name → version, in document order.
    public var charts: [(name: String, version: String)]
    /// `profileValues`: file name → YAML text, in document order.
    public var profileValues: [(name: String, text: String)]
    public var supportAgent: String?

    public init(document root: JSONNode) {
        func string(_ path: String...) -> String? { root.node(at: JSONPointer(path))?.stringValue }
        func members(_ key: String) -> [(String, String)] {
            guard case .object(let members) = root[key]?.value else { return [] }
            return members.compactMap { m in m.node.stringValue.map { (m.key, $0) } }
        }
        version = string("version") ?? ""
        channel = string("channel") ?? ""
        valuesProfile = string("valuesProfile") ?? Self.defaultProfile
        imageTags = members("images").map { (key: $0.0, tag: $0.1) }
        controlPlane = string("controlPlane") ?? ""
        config = (string("config", "repository") ?? "", string("config", "tag") ?? version, string("config", "digest") ?? "")
        charts = members("charts").map { (name: $0.0, version: $0.1) }
        profileValues = members("profileValues").map { (name: $0.0, text: $0.1) }
        supportAgent = string("supportAgent")
    }

    public func tag(for key: String) -> String? { key == "controlPlane" ? controlPlane : imageTags.first { $0.key == key }?.tag }

    /// The values file the setup engine reads for a chart: `<name>.<profile>.yaml`.
    public func profileFile(_ name: String) -> String { "\(name).\(valuesProfile).yaml" }

    /// The text of that file in `profileValues` (the first, should a name be given twice).
    public func profileText(_ name: String) -> String? { profileValues.first { $0.name == profileFile(name) }?.text }
}

/// What a registry release's document must be, beyond its schema: the appliance's own reader's
/// rules (`validateReleaseManifest`) and what it misses. Pure: the document, how it was read, and
/// a YAML reader in; findings out (`oci://…@sha256:…#config:LINE:COL: error: /pointer: message [rule]`).
public enum RegistryReleaseRules {
    /// How the document was asked for: by a version tag, a channel tag, or a digest.
    public enum ReadBy: Sendable, Equatable {
        case version(String)
        case channel(String)
        case digest
    }

    public static func readBy(_ ref: ImageReference) -> ReadBy {
        guard let tag = ref.tag, ref.digest == nil else { return .digest }
        return ReleaseVersion(tag) != nil ? .version(tag) : .channel(tag)
    }

    /// - Parameter yamlProblem: why a text is not YAML the setup engine can read, or nil.
    public static func check(_ root: JSONNode, readBy: ReadBy, file: String, yamlProblem: (String) -> String?) -> [Diagnostic] {
        guard case .object = root.value else { return [] }
        let document = RegistryReleaseDocument(document: root)
        var found: [Diagnostic] = []
        func error(_ rule: String, _ path: [String], _ message: String) {
            let pointer = JSONPointer(path)
            found.append(
                Diagnostic(
                    severity: .error, rule: rule, file: file, pointer: pointer, location: (root.node(at: pointer) ?? root).location, message: message))
        }
        switch readBy {
        case .version(let tag) where tag != document.version:
            error(
                "registry.version-tag", ["version"],
                "the release read by its version tag \(tag) says version \"\(document.version)\": the tag names another release")
        case .channel(let tag) where tag != document.channel:
            error(
                "registry.channel-tag", ["channel"],
                "the release read by the channel tag \(tag) says channel \"\(document.channel)\": it was tagged to a channel it was not made for")
        default: break
        }
        if root.node(at: JSONPointer(["config", "tag"])) != nil, document.config.tag != document.version {
            error("registry.config-tag", ["config", "tag"], "config.tag \"\(document.config.tag)\" is not the release's version \"\(document.version)\"")
        }
        for name in RegistryReleaseDocument.profileNames {
            let file = document.profileFile(name)
            guard let text = document.profileText(name) else {
                error(
                    "registry.profile-values", ["profileValues"],
                    "no \(file): the setup engine composes \(name)'s runtime values from it and stops without it")
                continue
            }
            if let problem = yamlProblem(text) {
                error("registry.profile-values", ["profileValues", file], "is not YAML the setup engine can read: \(problem)")
            }
        }
        if case .object(let keys) = root["supportReceiptKeys"]?.value {
            if keys.isEmpty || keys.count > 2 {
                error("registry.receipt-keys", ["supportReceiptKeys"], "has \(keys.count) keys; the appliance takes one or two")
            }
            for key in keys where !isReceiptKeyID(key.key) {
                error("registry.receipt-keys", ["supportReceiptKeys", key.key], "the key id is not 1-64 of A-Z a-z 0-9 _ . -; the appliance refuses it")
            }
        }
        for (short, long) in ReleaseLinter.sameCommitTags(document.imageTags) {
            let pointer = JSONPointer(["images", short.key])
            found.append(
                Diagnostic(
                    severity: .warning, rule: "lint.tag-length", file: file, pointer: pointer, location: root.node(at: pointer)?.location,
                    message: ReleaseLinter.tagLengthMessage(short: short, long: long, in: "images")))
        }
        return found
    }

    /// A registry release's document validated as a release: its schema (embedded), duplicate
    /// keys, these rules, against the registry-era model (`appliance-k3s.json`, embedded; its own
    /// warnings are this project's, not the release's, so only its errors are said). `name` is how
    /// findings name the document (`oci://…@sha256:…#config`).
    public static func validate(_ bytes: Data, name: String, readBy: ReadBy, yamlProblem: (String) -> String?) -> ValidationReport {
        let location = ReleaseLocation(file: name, folderName: nil, releasesDirectory: "", channel: nil)
        var report = ValidationReport(release: name, location: location, diagnostics: [], manifest: nil, declaration: nil, document: nil)
        report.schemaFile = "releases/registry-release.schema.json (built in)"
        let parsed: ParsedJSON
        do { parsed = try JSONParser.parse(Array(bytes)) } catch {
            report.diagnostics = [
                Diagnostic(
                    severity: .error, rule: "json.syntax", file: name, pointer: error.pointer, location: error.location,
                    message: "not valid JSON: \(error.message)")
            ]
            return report
        }
        var diagnostics: [Diagnostic] = []
        if let schema { diagnostics += schema.validate(parsed.root).map { Diagnostic(schema: $0, file: name) } }
        diagnostics += Diagnostic.duplicateKeys(parsed, file: name)
        diagnostics += check(parsed.root, readBy: readBy, file: name, yamlProblem: yamlProblem)
        let (declaration, modelDiagnostics) = ApplianceDeclaration.k3s
        diagnostics += modelDiagnostics.filter { $0.severity == .error }
        let document = RegistryReleaseDocument(document: parsed.root)
        report.release = document.version.isEmpty ? name : document.version
        report.diagnostics = Diagnostic.capped(diagnostics)
        report.declaration = declaration
        report.document = parsed.root
        report.registryDocument = document
        report.modelFile = "releases/\(ApplianceDeclaration.k3sFileName) (built in)"
        return report
    }

    static func isReceiptKeyID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
            }
    }

    /// The release's schema as built into the binary (a registry release needs no releases folder).
    public static let schema: JSONSchema? = {
        guard let parsed = try? JSONParser.parse(Array(EmbeddedModel.registryReleaseSchema.utf8)) else { return nil }
        return try? JSONSchema(parsed.root)
    }()
}
