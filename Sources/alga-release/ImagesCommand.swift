import ArgumentParser
import ReleaseModel
import TextFormat

struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List every image a release runs: full reference, tier, whether it blocks login, and where its tag comes from.",
        discussion: """
            References are always fully qualified (docker.io/library/redis:latest, never redis:latest), so what is listed is exactly what a node pulls. The release must validate without errors.

            Example: alga-release images 1.0-rc5 --format json

            Exit 0 with the list; 2 when the release or inventory cannot be used (or is invalid); 64 on usage errors.
            """)

    @Argument(help: "A version under --releases-dir, channel:NAME, a path to a release.json or its folder, or oci://HOST/REPO:TAG|@sha256:HEX.")
    var release: String

    @OptionGroup var options: ReleaseOptions

    @OptionGroup(title: "Registry options (a registry release: oci://...)") var registry: RegistryOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let report: ValidationReport
        let images: [ResolvedImage]
        if RegistryReleaseReference.isRegistryRelease(release) {
            let loaded = try await InputErrorDocument.reporting(json: format == .json) { try await RegistryReleaseInput.load(release, registry: registry) }
            (report, images) = (loaded.report, try format.reportingInputErrors { try RegistryReleaseInput.images(loaded) })
        } else {
            (report, images, _) = try format.reportingInputErrors { try options.images(release) }
        }
        switch format {
        case .json:
            try Console.json(ImagesDocument(release: report.release, images: images))
        case .text:
            Console.output(Self.table(images, release: report.release))
        }
    }

    static func table(_ images: [ResolvedImage], release: String) -> String {
        let rows = images.map { [$0.tierText, $0.loginBlockingText, $0.ref.description, $0.source.description] }
        return "release \(release): \(images.count) images\n" + TextTable.render(header: ["TIER", "LOGIN-BLOCKING", "REFERENCE", "SOURCE"], rows: rows)
    }
}
