import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

/// Where a command finds releases; shared by every command that takes RELEASE.
struct ReleaseOptions: ParsableArguments {
    @Option(
        name: .customLong("releases-dir"), help: "The releases directory (versions, schema.json, appliance.json, channels/), relative to the working directory."
    )
    var releasesDirectory: String = "releases"

    // `--inventory` was the name while the file held images only; scripts written then keep working.
    @Option(
        name: [.customLong("model"), .customLong("inventory")],
        help: "The appliance model: components, tiers, namespaces and images (default: appliance.json beside the release's folder, else in --releases-dir).")
    var model: String?

    @Flag(help: "Say on stderr which release, schema and model files were used.")
    var verbose = false

    func validate(_ release: String, lock: String? = nil) throws(InputError) -> ValidationReport {
        let report = try ReleaseValidator.validate(release, releasesDirectory: releasesDirectory, modelFile: model, lockFile: lock)
        if verbose {
            Console.error(
                "using release \(report.location.file), schema \(report.schemaFile), model \(report.inventory?.file ?? "none (\(report.missingModel ?? "?") does not exist)")"
            )
        }
        return report
    }

    /// The resolved images of a valid release; an invalid one is unusable input for every command that needs its images.
    func images(_ release: String) throws -> (report: ValidationReport, images: [ResolvedImage], model: ApplianceModel) {
        let report = try validate(release)
        if let missing = report.missingModel {
            throw InputError(
                file: missing,
                reason:
                    "no appliance model: \(ApplianceDeclaration.fileName) says what the appliance runs, in which tier, and for every image its repository and where its tag comes from; use alga-release's own (--model <alga-release>/releases/\(ApplianceDeclaration.fileName)) or write one beside the releases"
            )
        }
        guard let images = report.images, let model = report.model else {
            for error in report.errors { Console.error(error.formatted) }
            throw InputError(
                file: report.location.file,
                reason:
                    "release \(report.release) is not valid (\(report.errors.count) error\(report.errors.count == 1 ? "" : "s") above); fix it first (alga-release validate)"
            )
        }
        return (report, images, model)
    }
}
