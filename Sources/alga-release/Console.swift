import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel

/// stdout is the product, stderr is for people.
enum Console {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("alga-release: \(text)\n".utf8))
    }

    /// A one-line progress indicator on a terminal; nil clears it.
    static func progress(_ text: String?) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text ?? "")".utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        output(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json
}

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

/// The machine-readable form of an input error, so `--format json` keeps stdout one JSON document.
struct InputErrorDocument: Encodable {
    var error: InputError
    var exitCode = ExitStatus.unusableInput

    enum CodingKeys: String, CodingKey { case error, exitCode }
    enum ErrorKeys: String, CodingKey { case file, reason, line, column, pointer }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(exitCode, forKey: .exitCode)
        var e = c.nestedContainer(keyedBy: ErrorKeys.self, forKey: .error)
        try e.encode(error.file, forKey: .file)
        try e.encode(error.reason, forKey: .reason)
        try e.encodeIfPresent(error.location?.line, forKey: .line)
        try e.encodeIfPresent(error.location?.column, forKey: .column)
        try e.encodeIfPresent(error.pointer?.description, forKey: .pointer)
    }
}

/// Runs `body`; when stdout must be JSON, an input error is also written there as a document.
func reportingInputErrors<T>(json: Bool, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        if json { try Console.json(InputErrorDocument(error: error)) }
        throw error
    }
}

extension OutputFormat {
    func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
        try alga_release.reportingInputErrors(json: self == .json, body)
    }
}
