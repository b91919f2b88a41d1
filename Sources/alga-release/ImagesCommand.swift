import ArgumentParser
import ReleaseModel

struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List every image a release runs: full reference, tier, whether it blocks login, and where its tag comes from.",
        discussion: """
            References are always fully qualified (docker.io/library/redis:latest, never redis:latest), so what is listed is exactly what a node pulls. The release must validate without errors.
            """)

    @OptionGroup var options: ReleaseOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() async throws {
        let images = try format.reportingInputErrors { try Self.images(options) }
        switch format {
        case .json:
            try Console.json(ImagesDocument(release: images.release, images: images.list))
        case .text:
            Console.output(Self.table(images.list, release: images.release))
        }
    }

    /// The resolved images of a valid release; an invalid one is unusable input for every command that needs its images.
    static func images(_ options: ReleaseOptions) throws -> (release: String, list: [ResolvedImage]) {
        let report = try options.validate()
        guard let images = report.images else {
            for error in report.errors { Console.error(error.formatted) }
            throw InputError(
                file: report.location.file,
                reason: "release \(report.release) is not valid (\(report.errors.count) errors above); fix it first (alga-release validate)")
        }
        return (report.release, images)
    }

    static func table(_ images: [ResolvedImage], release: String) -> String {
        let rows = images.map { [$0.tier.rawValue, $0.loginBlocking ? "yes" : "no", $0.ref.description, $0.source] }
        return "release \(release): \(images.count) images\n" + TextTable.render(header: ["TIER", "LOGIN-BLOCKING", "REFERENCE", "SOURCE"], rows: rows)
    }
}

struct ImagesDocument: Encodable {
    var release: String
    var images: [ResolvedImage]
}

enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
