import ArgumentParser
import JSONDocument
import ReleaseModel

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a release manifest against schema.json and lint it.",
        discussion: """
            Every schema rule is enforced (required members, unknown members, patterns, enums, and the date-time and uri formats), and every violation is reported with its JSON pointer, what was found and what was expected. The linter then warns about short-SHA tags of different lengths, a folder name that differs from releaseVersion, fields copied from another release, inventory images with a mutable tag or no digest, and channels pointing at releases that do not exist.

            --strict makes the release's own warnings errors; the image inventory's (mutable tags, no digest pin) belong to this project, not to one release, and --strict-inventory makes them errors. A digest recorded in a registry lock (--lock, from check --write-lock) pins an image as well as one in the inventory.

            Example: alga-release validate 1.0-rc5 --strict

            Exit 0 when valid (warnings allowed unless --strict), 1 when invalid, 2 when the input cannot be read, 64 on usage errors.
            """)

    @Argument(
        help: "A version under --releases-dir, channel:NAME, a path to a release.json or its folder, or a registry release oci://HOST/REPO:TAG|@sha256:HEX.")
    var release: String

    @OptionGroup var options: ReleaseOptions

    @OptionGroup(title: "Registry options (a registry release: oci://...)") var registry: RegistryOptions

    @Flag(help: "Treat the release's own warnings (its manifest, its channels) as errors.")
    var strict = false

    @Flag(name: .customLong("strict-inventory"), help: "Treat the image inventory's warnings (mutable tags, no digest pin) as errors too.")
    var strictInventory = false

    @Option(help: "A registry lock (check --write-lock): an image it records a digest for counts as pinned.")
    var lock: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        var manifestDigest: String?
        let report: ValidationReport
        if RegistryReleaseReference.isRegistryRelease(release) {
            let loaded = try await InputErrorDocument.reporting(json: format == .json) { try await RegistryReleaseInput.load(release, registry: registry) }
            report = loaded.report
            manifestDigest = loaded.read.manifestDigest
        } else {
            report = try format.reportingInputErrors { try options.validate(release, lock: lock) }
        }
        if let missing = report.missingModel {
            Console.error("note: no appliance model at \(missing): the release was validated without it (image lints skipped; --model FILE to include them)")
        }
        let passed = report.passes(strict: strict, strictInventory: strictInventory)
        // A promoted warning is an error everywhere it is shown: each line, the counts, the JSON.
        let promotedCount = report.warnings.filter { report.isPromoted($0, strict: strict, strictInventory: strictInventory) }.count
        let shown = report.diagnostics.map { d -> Diagnostic in
            var d = d
            if report.isPromoted(d, strict: strict, strictInventory: strictInventory) { d.severity = .error }
            return d
        }.sorted(by: Self.order)
        let errors = shown.filter { $0.severity == .error }.count
        let warnings = shown.count - errors
        switch format {
        case .json:
            try Console.json(
                ValidationDocument(
                    release: report.release, file: report.location.file, valid: passed, strict: strict,
                    errors: errors, warnings: warnings, diagnostics: shown, manifestDigest: manifestDigest))
        case .text:
            for diagnostic in shown { Console.output(diagnostic.formatted) }
            let verdict = passed ? "valid" : "INVALID"
            let promoted = promotedCount > 0 ? "; \(promotedCount) of them warnings that \(strict ? "--strict" : "--strict-inventory") makes errors" : ""
            Console.output(
                "\(report.release): \(verdict) (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\(promoted))"
                    + (manifestDigest.map { "; read \(release) as \($0)" } ?? ""))
        }
        if !passed { throw ExitCode(ExitStatus.failed) }
    }

    /// Errors first, then by file and position, so the output reads top to bottom.
    static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.file != b.file { return a.file < b.file }
        let la = a.location.map { ($0.line, $0.column) } ?? (0, 0)
        let lb = b.location.map { ($0.line, $0.column) } ?? (0, 0)
        if la != lb { return la < lb }
        return (a.pointer?.description ?? "") < (b.pointer?.description ?? "")
    }
}
