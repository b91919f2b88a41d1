import ArgumentParser
import Foundation
import InstallPlan
import JSONDocument
import RegistryCheck
import RegistryRules
import ReleaseModel

extension Policy: ExpressibleByArgument {}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every image of a release against its registry (OCI Distribution v2).",
        discussion: """
            Each reference gets exactly one status: present, missing_tag, missing_repository, denied (not pullable with the credentials used; anonymous by default, as the appliance pulls), rate_limited, unreachable, or platform_missing. Nothing is called missing unless the registry said so.

            --policy gate (CI): any missing_*, denied or platform_missing fails (exit 1); otherwise any rate_limited or unreachable is indeterminate (exit 3).

            --repo DIR (with --flux-path, --helm, --kubectl as for plan): check the union of the model's images and every image the install plan finds pulled; a pulled image the model does not declare is checked too, reported with source undeclared, and fails gate.
            --policy preflight (bootstrap): a core or platform image that is not pullable fails (exit 1); background images and checks that could not be made are warnings (exit 0), except a registry that cannot be reached at all (every image failed to resolve or connect): one line names it and the exit is 3.

            Credentials, first match per registry: --username with --password-stdin (for --auth-registry), ALGA_REGISTRY_TOKEN (with ALGA_REGISTRY_USERNAME, for --auth-registry), GITHUB_TOKEN (for ghcr.io), then auths in the Docker config file. --anonymous ignores them all. Secrets are never printed.

            Example: alga-release check channel:stable --policy gate --format github

            Exit 0 pass (or preflight warnings); 1 a failing image, or a moved tag under --verify-lock; 2 unusable input; 3 indeterminate (a registry could not be asked; under preflight, one that cannot be reached at all); 64 on usage errors.
            """)

    @Argument(help: "A version under --releases-dir, channel:NAME, or a path to a release.json or its folder. Omit with --ref/--refs-from.")
    var release: String?

    @OptionGroup var options: ReleaseOptions

    /// `--repo`: also check every image the install plan finds pulled (an undeclared one fails gate).
    @OptionGroup var plan: PlanOptions

    /// A registry release: plan it from its own artifacts and check what that pulls too.
    @Flag(
        name: .customLong("plan"),
        help:
            "A registry release: also plan it (its config bundle and charts, with Helm and kustomize) and check every image the plan pulls; an undeclared one fails gate."
    )
    var planRegistry = false

    @Option(name: .customLong("app-url"), help: "With --plan: the app URL of the runtime values.")
    var appURL: String = RuntimeValues.defaultAppURL

    @Option(help: "gate (CI: anything not pullable fails) or preflight (bootstrap: background only warns).")
    var policy: Policy = .gate

    @Option(help: "Output format: text, json, github (workflow annotations) or junit.")
    var format: CheckFormat = .text

    @Option(name: .customLong("ref"), help: "Check this reference instead of a release (repeatable).")
    var refs: [String] = []

    @Option(name: .customLong("refs-from"), help: "Check the references in this file, one per line ('#' starts a comment).")
    var refsFrom: String?

    /// Where the images are asked for and how: mirrors, platform, limits, credentials.
    @OptionGroup var registry: RegistryOptions

    @Option(name: .customLong("write-lock"), help: "Write digest, media type and size of every present image to FILE.")
    var writeLock: String?

    @Option(name: .customLong("verify-lock"), help: "Fail when a tag now points at another digest than FILE records.")
    var verifyLock: String?

    func validate() throws {
        if release == nil && refs.isEmpty && refsFrom == nil {
            throw ValidationError("give a RELEASE, or references with --ref / --refs-from")
        }
        if release != nil && (!refs.isEmpty || refsFrom != nil) {
            throw ValidationError("give either a RELEASE or --ref/--refs-from, not both")
        }
    }

    func run() async throws {
        var registryRelease: RegistryReleaseInput.Loaded?
        if let release, RegistryReleaseReference.isRegistryRelease(release) {
            registryRelease = try await InputErrorDocument.reporting(json: format == .json) { try await RegistryReleaseInput.load(release, registry: registry) }
        }
        let (releaseName, images, positions) = try await InputErrorDocument.reporting(json: format == .json) { try await inputs(registryRelease) }
        var verify: RegistryLock?
        if let verifyLock { verify = try RegistryLock.read(verifyLock) }
        let report = try await registry.gate(images, release: releaseName, policy: policy, read: registryRelease?.read)
        let checked = report.images
        var moved: [MovedTag] = []
        if let verify, let verifyLock {
            let comparison = verify.verify(checked)
            moved = comparison.moved
            if !comparison.uncovered.isEmpty {
                Console.error("warning: \(verifyLock) does not cover \(comparison.uncovered.joined(separator: ", "))")
            }
        }
        // The report is written before the exit code says anything: CI keeps it even when the job fails.
        if let writeLock {
            do {
                try RegistryLock(report: report).write(to: writeLock)
            } catch {
                throw InputError(file: writeLock, reason: "cannot write the lock: \(error.localizedDescription)")
            }
        }
        switch format {
        case .text: Console.output(CheckFormatter.text(report, moved: moved))
        case .json: Console.output(try CheckFormatter.json(report, moved: moved))
        case .github: Console.output(CheckFormatter.github(report, moved: moved, positions: positions))
        case .junit: Console.output(CheckFormatter.junit(report, moved: moved))
        }
        if policy == .preflight {
            for gone in Policy.unreachableRegistries(checked) {
                Console.error(
                    "error: pre-flight cannot reach \(gone.host) at all (\(gone.failure.rawValue): \(gone.detail)); nothing is known about its \(gone.images) image\(gone.images == 1 ? "" : "s"): check the node's DNS and network, then run it again"
                )
            }
        }
        switch report.verdict(moved: moved) {
        case .pass, .warn: return
        case .fail: throw ExitCode(ExitStatus.failed)
        case .indeterminate: throw ExitCode(ExitStatus.indeterminate)
        }
    }

    /// The images to check and where each is written down (for annotations).
    private func inputs(_ registryRelease: RegistryReleaseInput.Loaded?) async throws -> (String?, [ResolvedImage], [String: SourcePosition]) {
        if let loaded = registryRelease, let document = loaded.report.registryDocument {
            // The closure: the release, its bundle, its charts, its images; annotations point into the document.
            var images = try RegistryReleaseInput.images(loaded)
            if planRegistry {
                let planned = try await PlanCommand.registryPlan(loaded, registry: registry, plan: plan, appURL: appURL)
                images = PlanOptions.adding(planned, to: images, charts: false)
            }
            let closure = RegistryReleaseGate.closure(loaded.read, document: document, images: images)
            var positions: [String: SourcePosition] = [:]
            for entry in closure {
                guard let pointer = entry.source.pointer, !pointer.isEmpty,
                    let line = loaded.report.document?.node(at: JSONPointer(parsing: pointer))?.location.line
                else { continue }
                positions[entry.key] = SourcePosition(file: loaded.read.documentName, line: line)
            }
            return (loaded.report.release, closure, positions)
        }
        guard let release else {
            var texts = refs
            if let refsFrom {
                let data = try InputFile.read(refsFrom, what: "file of references", maxBytes: JSONFile.maximumSize)
                texts += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let images = try texts.map { text -> ResolvedImage in
                do {
                    let ref = try ImageReference(parsing: text)
                    return ResolvedImage(commandLine: ref, text: text)
                } catch {
                    throw InputError(file: refsFrom ?? "--ref", reason: "\(error)")
                }
            }
            return (nil, images, [:])
        }
        let (report, images) = try await plan.images(release, options: options)
        var positions: [String: SourcePosition] = [:]
        for image in images {
            if case .release(let key) = image.source, let line = report.document?.node(at: JSONPointer(["app", "images", key]))?.location.line {
                positions[image.key] = SourcePosition(file: report.location.file, line: line)
            } else if let inventory = report.inventory, let entry = inventory.entries.first(where: { $0.key == image.key }) {
                positions[image.key] = SourcePosition(file: inventory.file, line: entry.location.line)
            }
        }
        return (report.release, images, positions)
    }
}
