import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ManifestRender
import ReleaseModel

struct LintManifestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint-manifests",
        abstract: "Parse a rendered tree back and prove its invariants.",
        discussion: """
            What the appliance model (releases/appliance.json) says: the tier chain of Kustomizations (platform -> core -> background), each component's HelmRelease or workload under its tier's Kustomization, each image at the chart value paths its components read, what the components' pods require (podRequires). And: read-only RBAC (get/list/watch, no secrets, no wildcard); every image reference is an image of the release (so the gate checked it) and none is latest; every HelmRelease dependsOn exists and remediation retries are above 0; no plain y/n/yes/no/on/off scalars.

            Example: alga-release lint-manifests flux --release 1.0-rc5

            Exit 0 when every invariant holds; 1 with a finding; 2 unusable input; 64 on usage errors.
            """)

    @Argument(help: "The rendered tree.")
    var directory: String = "flux"

    @Option(help: "The release whose images the tree must deploy.")
    var release: String = "channel:stable"

    @OptionGroup var options: ReleaseOptions

    func run() async throws {
        let (report, images, model) = try options.images(release)
        guard FileManager.default.fileExists(atPath: directory) else { throw InputError(file: directory, reason: "no such directory") }
        let files = TreeWriter.files(in: directory)
        guard !files.isEmpty else { throw InputError(file: directory, reason: "no *.yaml files") }
        let findings = ManifestLinter.lint(
            ManifestLinter.files(files, of: report.release), images: report.fluxImages(images), model: model)
        for finding in findings { Console.output("\(directory)/\(finding.description)") }
        Console.output("\(directory): \(files.count) files, \(findings.count) lint error\(findings.count == 1 ? "" : "s")")
        if !findings.isEmpty { throw ExitCode(ExitStatus.failed) }
    }
}
