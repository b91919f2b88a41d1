import ApplianceModel
import Foundation
import JSONDocument

/// The outcome of validating one release: every error and warning, and the typed pieces later
/// commands need (present when the manifest and the appliance model could be read at all).
public struct ValidationReport: Sendable {
    public var release: String
    public var location: ReleaseLocation
    public var diagnostics: [Diagnostic]
    public var manifest: ReleaseManifest?
    /// The appliance model and its images (`releases/appliance.json`).
    public var declaration: ApplianceDeclaration?
    /// The parsed release.json, for locating findings by line.
    public var document: JSONNode?
    /// Where the appliance model was looked for when there was none (validated without it).
    public var missingModel: String?
    /// The schema file the release was validated against.
    public var schemaFile: String = ""
    /// The appliance model file read (or looked for).
    public var modelFile: String?

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Whether a warning counts as an error: `--strict` promotes the release's own findings (its
    /// manifest, its channels), `--strict-inventory` the image inventory's, which belong to this
    /// project and not to any one release.
    public func isPromoted(_ diagnostic: Diagnostic, strict: Bool, strictInventory: Bool) -> Bool {
        guard diagnostic.severity == .warning else { return false }
        return diagnostic.file == modelFile ? strictInventory : strict
    }

    public var inventory: ImageInventory? { declaration?.inventory }
    public var model: ApplianceModel? { declaration?.model }

    public func passes(strict: Bool, strictInventory: Bool = false) -> Bool {
        errors.isEmpty && !warnings.contains { isPromoted($0, strict: strict, strictInventory: strictInventory) }
    }

    /// Inventory keys of images the bootstrap installs before Flux (not in the rendered tree).
    public var preFluxKeys: Set<String> { Set(inventory?.entries.filter(\.preFlux).map(\.key) ?? []) }

    /// The images of this release, or nil when the release or inventory is not usable.
    public var images: [ResolvedImage]? {
        guard let manifest, let inventory, errors.isEmpty else { return nil }
        return inventory.resolve(for: manifest).images
    }
}

/// Loads a release with everything it is checked against and runs the schema and the linter.
/// I/O happens here, at the edge; the rules themselves are pure (JSONSchema, ReleaseLinter).
public enum ReleaseValidator {
    /// - Parameters:
    ///   - argument: a version, `channel:NAME`, or a path to a release.json or its folder.
    ///   - releasesDirectory: where versions and channels are looked up.
    ///   - modelFile: overrides `<releases>/appliance.json`.
    ///   - lockFile: a registry lock (`check --write-lock`); an image it records a digest for is pinned.
    public static func validate(
        _ argument: String, releasesDirectory: String, modelFile: String? = nil, lockFile: String? = nil
    ) throws(InputError) -> ValidationReport {
        let lock = try lockFile.map { path throws(InputError) in try RegistryLock.read(path) }
        let store = ReleaseStore(directory: releasesDirectory)
        let location = try store.locate(argument)
        // A path argument brings its own releases directory: its schema, model and channels are
        // used when they are there, else those of --releases-dir (one rule for both files).
        let home = ReleaseStore.isPath(argument) ? ReleaseStore(directory: location.releasesDirectory) : store
        let schemaStore = FileManager.default.fileExists(atPath: home.schemaFile) ? home : store

        let parsed = try JSONFile.read(location.file)
        let schemaDocument = try JSONFile.read(schemaStore.schemaFile).root
        let schema: JSONSchema
        do {
            schema = try JSONSchema(schemaDocument)
        } catch {
            throw InputError(file: schemaStore.schemaFile, reason: error.description, pointer: error.pointer)
        }

        var diagnostics = schema.validate(parsed.root).map { Diagnostic(schema: $0, file: location.file) }
        diagnostics += Diagnostic.duplicateKeys(parsed, file: location.file)
        let manifest = ReleaseManifest(document: parsed.root)

        let modelPath = modelFile ?? (FileManager.default.fileExists(atPath: home.modelFile) ? home.modelFile : store.modelFile)
        // The schema and most lints do not need the model (the upstream repository has none):
        // without one, the release is validated without it, and only commands that need its images
        // stop, saying how to give one (`ValidationReport.missingModel`).
        var declaration: ApplianceDeclaration?
        var missingModel: String?
        if modelFile != nil || FileManager.default.fileExists(atPath: modelPath) {
            let (loaded, modelDiagnostics) = ApplianceDeclaration.load(try JSONFile.read(modelPath), file: modelPath)
            declaration = loaded
            diagnostics += modelDiagnostics
        } else {
            missingModel = modelPath
        }

        // Channel files that cannot be read are findings here, not a reason to stop validating a release.
        var channels: [ReleaseChannel] = []
        for name in home.channelNames() {
            do {
                channels.append(try home.channel(name))
            } catch {
                diagnostics.append(
                    Diagnostic(
                        severity: .warning, rule: "lint.channel-file", file: error.file, pointer: error.pointer,
                        location: error.location, message: error.reason))
            }
        }
        // Lint only what the schema let through as an object; a document of the wrong shape has no fields to lint.
        if case .object = parsed.root.value {
            diagnostics += ReleaseLinter.lint(
                .init(
                    manifest: manifest, document: parsed.root, file: location.file, folderName: location.folderName,
                    inventory: declaration?.inventory, channels: channels, knownReleases: home.releases(), lock: lock))
        }
        let name = manifest.releaseVersion.isEmpty ? (location.folderName ?? argument) : manifest.releaseVersion
        return ValidationReport(
            release: name, location: location, diagnostics: Diagnostic.capped(diagnostics), manifest: manifest, declaration: declaration, document: parsed.root,
            missingModel: missingModel, schemaFile: schemaStore.schemaFile, modelFile: modelPath)
    }
}
