import Foundation
import ReleaseModel
import TextFormat

/// The mirror report in each output format, each a pure function of the report.
public enum MirrorFormatter {
    public static func text(_ report: MirrorReport) -> String {
        let rows = report.images.map { image -> [String] in
            [
                image.outcome.rawValue, image.ref.description, image.target, ByteSize.text(image.bytesSent),
                "\(image.blobsSent)/\(image.blobsSkipped)/\(image.blobsMounted)",
            ]
        }
        let title = report.release.map { "release \($0)" } ?? "\(report.images.count) references"
        var lines = ["\(title) to \(report.destination): \(report.platform.map { "platform \($0) only" } ?? "every platform")"]
        lines.append(TextTable.render(header: ["OUTCOME", "REFERENCE", "TARGET", "SENT", "BLOBS SENT/THERE/MOUNTED"], rows: rows))
        let problems = report.images.filter { $0.outcome != .copied }
        if !problems.isEmpty { lines.append("") }
        for image in problems {
            lines.append("\(image.outcome == .untagged ? "WAIT" : "FAIL") \(image.ref) [\(image.outcome.rawValue)]: \(image.detail)")
        }
        for image in report.images where image.outcome == .copied {
            if let other = image.targetDigest, other != image.digest {
                lines.append("note: \(image.target) is the \(image.platforms.joined(separator: ", ")) image \(other), not the index \(image.digest ?? "?")")
            }
        }
        if let partial = report.partialTags {
            lines.append(
                "tags: \(partial.tagged.count) of \(report.images.count) images are tagged at the target now (\(partial.tagged.map(\.target).joined(separator: ", "))); the other \(partial.untagged.count) are not. A registry has no transaction over several tags; run again: what is there is not sent again, and the rest are tagged"
            )
        }
        let t = report.totals
        lines.append("")
        lines.append(
            "sent \(ByteSize.text(t.bytesSent)) in \(t.blobsSent) blob\(t.blobsSent == 1 ? "" : "s"); \(t.blobsSkipped) already there, \(t.blobsMounted) mounted"
        )
        lines.append("verdict: \(report.verdict.rawValue)")
        if let patch = patch(report) {
            lines.append("")
            lines.append("path mapping: " + mapping(report).map { "\($0.source)/<path> -> \($0.target)/<path>" }.joined(separator: "; "))
            lines.append("")
            lines.append(patch)
        }
        return lines.joined(separator: "\n")
    }

    struct Mapping: Encodable {
        var source: String
        var target: String
    }

    static func mapping(_ report: MirrorReport) -> [Mapping] {
        guard let endpoint = report.target else { return [] }
        let target = endpoint.host + (endpoint.repositoryPrefix.map { "/\($0)" } ?? "")
        return report.sourceRegistries.map { Mapping(source: $0, target: target) }
    }

    /// The Talos patch for a registry target; none for a bundle.
    static func patch(_ report: MirrorReport) -> String? {
        report.nodeEndpoint.map { TalosMirrorPatch.yaml(registries: report.sourceRegistries, endpoint: $0) }
    }

    struct JSONImage: Encodable {
        var ref: String
        var target: String
        var outcome: MirrorOutcome
        var digest: String?
        var targetDigest: String?
        var platforms: [String]
        var bytesSent: Int
        var blobsSent: Int
        var blobsSkipped: Int
        var blobsMounted: Int
        var detail: String
    }

    struct JSONTotals: Encodable {
        var images: Int
        var copied: Int
        var bytesSent: Int
        var blobsSent: Int
        var blobsSkipped: Int
        var blobsMounted: Int
    }

    struct JSONReport: Encodable {
        var release: String?
        var target: String
        var platform: String?
        var verdict: Verdict
        var images: [JSONImage]
        var totals: JSONTotals
        var mapping: [Mapping]
        var talosPatch: String?
    }

    public static func json(_ report: MirrorReport) throws -> String {
        let t = report.totals
        let document = JSONReport(
            release: report.release, target: report.destination, platform: report.platform, verdict: report.verdict,
            images: report.images.map {
                JSONImage(
                    ref: $0.ref.description, target: $0.target, outcome: $0.outcome, digest: $0.digest, targetDigest: $0.targetDigest,
                    platforms: $0.platforms, bytesSent: $0.bytesSent, blobsSent: $0.blobsSent, blobsSkipped: $0.blobsSkipped, blobsMounted: $0.blobsMounted,
                    detail: $0.detail)
            },
            totals: JSONTotals(
                images: report.images.count, copied: report.images.filter { $0.outcome == .copied }.count, bytesSent: t.bytesSent, blobsSent: t.blobsSent,
                blobsSkipped: t.blobsSkipped, blobsMounted: t.blobsMounted),
            mapping: mapping(report), talosPatch: patch(report))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }
}
