import ApplianceModel
import Foundation
import JSONDocument

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
