import ApplianceModel
import Foundation
import ReleaseModel
import TextFormat

/// The report in each output format. Each is a pure function of the report.
public enum CheckFormatter {
    public static func text(_ report: CheckReport, moved: [MovedTag] = []) -> String {
        let rows = report.images.map { checked -> [String] in
            [
                checked.result.status.rawValue, checked.image.tierText, checked.image.loginBlockingText,
                checked.image.ref.description, checked.result.compressedSize.map(ByteSize.text) ?? "-",
            ]
        }
        var lines: [String] = []
        let title = report.release.map { "release \($0)" } ?? "\(report.images.count) references"
        lines.append(
            "\(title): policy \(report.policy.rawValue), platform \(report.platform)" + (report.manifestDigest.map { ", release manifest \($0)" } ?? ""))
        lines.append(TextTable.render(header: ["STATUS", "TIER", "LOGIN-BLOCKING", "REFERENCE", "SIZE"], rows: rows))
        let problems = report.images.filter { $0.result.status != .present }
        if !problems.isEmpty { lines.append("") }
        for checked in problems {
            let finding = report.policy.finding(for: checked, platform: report.platform)
            let label = finding.verdict == .fail ? "FAIL" : finding.verdict == .indeterminate ? "UNKNOWN" : "WARN"
            lines.append("\(label) \(checked.image.ref) [\(checked.result.status.rawValue)]: \(checked.result.detail)")
            if let via = checked.checkedAt { lines.append("  checked at \(via)") }
            if let pointer = checked.image.source.pointer, !pointer.isEmpty { lines.append("  named at \(pointer) of the release document") }
            if let next = finding.nextAction { lines.append("  next: \(next)") }
        }
        for tag in moved {
            lines.append("FAIL \(tag.ref) [moved_tag]: the lock has \(tag.locked), the registry now has \(tag.current)")
        }
        let counts = report.summary.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        lines.append("")
        lines.append("verdict: \(report.verdict(moved: moved).rawValue) (\(counts))")
        return lines.joined(separator: "\n")
    }

    struct JSONImage: Encodable {
        var ref: String
        var key: String
        /// Absent (with loginBlocking) for an image given with --ref: nothing says which tier it serves.
        var tier: ComponentTier?
        var loginBlocking: Bool?
        var source: String
        var status: CheckStatus
        var verdict: Verdict
        var digest: String?
        var mediaType: String?
        var platforms: [String]
        var compressedSize: Int?
        var detail: String
        var nextAction: String?
        var auth: String
        var checkedAt: String?
        /// A registry release: the JSON pointer of its document that names this reference.
        var pointer: String?
    }

    struct JSONMoved: Encodable {
        var ref: String
        var lockedDigest: String
        var currentDigest: String
    }

    struct JSONReport: Encodable {
        var release: String?
        var manifestDigest: String?
        var finishedAt: String?
        var policy: Policy
        var platform: String
        var verdict: Verdict
        var images: [JSONImage]
        var summary: [String: Int]
        var movedTags: [JSONMoved]
    }

    public static func json(_ report: CheckReport, moved: [MovedTag] = []) throws -> String {
        let images = report.images.map { c in
            let finding = report.policy.finding(for: c, platform: report.platform)
            return JSONImage(
                ref: c.image.ref.description, key: c.image.key, tier: c.image.tier, loginBlocking: c.image.loginBlocking, source: c.image.source.description,
                status: c.result.status, verdict: finding.verdict, digest: c.result.digest, mediaType: c.result.mediaType,
                platforms: c.result.platforms, compressedSize: c.result.compressedSize, detail: c.result.detail, nextAction: finding.nextAction,
                auth: c.result.auth, checkedAt: c.checkedAt, pointer: c.image.source.pointer)
        }
        let document = JSONReport(
            release: report.release, manifestDigest: report.manifestDigest, finishedAt: report.finishedAt, policy: report.policy, platform: report.platform,
            verdict: report.verdict(moved: moved),
            images: images,
            summary: Dictionary(uniqueKeysWithValues: report.summary.map { ($0.key.rawValue, $0.value) }),
            movedTags: moved.map { JSONMoved(ref: $0.ref, lockedDigest: $0.locked, currentDigest: $0.current) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    /// GitHub workflow commands: one `::error` or `::warning` per image that is not present.
    public static func github(_ report: CheckReport, moved: [MovedTag] = [], positions: [String: SourcePosition] = [:]) -> String {
        var lines: [String] = []
        for checked in report.images where checked.result.status != .present {
            let finding = report.policy.finding(for: checked, platform: report.platform)
            let command = finding.verdict == .fail ? "error" : "warning"
            var properties: [String] = []
            if let position = positions[checked.image.key] {
                properties.append("file=\(escapeProperty(position.file))")
                properties.append("line=\(position.line)")
            }
            properties.append("title=\(escapeProperty("\(checked.result.status.rawValue): \(checked.image.ref)"))")
            var message =
                "\(checked.image.ref) (\(checked.image.tierText)\(checked.image.loginBlocking == true ? ", login-blocking" : "")): \(checked.result.detail)"
            if let next = finding.nextAction { message += "\nNext: \(next)" }
            lines.append("::\(command) \(properties.joined(separator: ","))::\(escapeMessage(message))")
        }
        for tag in moved {
            lines.append(
                "::error title=\(escapeProperty("moved tag: \(tag.ref)"))::\(escapeMessage("the lock has \(tag.locked), the registry now has \(tag.current)"))")
        }
        let v = report.verdict(moved: moved)
        lines.append(
            "::notice title=alga-release check::\(escapeMessage("verdict \(v.rawValue) under \(report.policy.rawValue) for \(report.images.count) images"))")
        return lines.joined(separator: "\n")
    }

    /// JUnit XML, one testcase per image: failure for a failing verdict, error for "could not check".
    public static func junit(_ report: CheckReport, moved: [MovedTag] = []) -> String {
        let findings = report.images.map { report.policy.finding(for: $0, platform: report.platform) }
        let failures = findings.filter { $0.verdict == .fail }.count + moved.count
        let errors = findings.filter { $0.verdict == .indeterminate }.count
        let name = "alga-release check \(report.release ?? "references") (\(report.policy.rawValue))"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites tests=\"\(report.images.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        xml += "  <testsuite name=\"\(xmlEscape(name))\" tests=\"\(report.images.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\">\n"
        for (checked, finding) in zip(report.images, findings) {
            xml +=
                "    <testcase classname=\"\(xmlEscape("\(checked.image.tierText).\(checked.image.key)"))\" name=\"\(xmlEscape(checked.image.ref.description))\""
            let status = checked.result.status.rawValue
            let body = checked.result.detail + (finding.nextAction.map { "\nNext: \($0)" } ?? "")
            switch finding.verdict {
            case .pass:
                xml += "/>\n"
            case .fail:
                xml += ">\n      <failure message=\"\(xmlEscape(status))\" type=\"\(xmlEscape(status))\">\(xmlEscape(body))</failure>\n    </testcase>\n"
            case .indeterminate:
                xml += ">\n      <error message=\"\(xmlEscape(status))\" type=\"\(xmlEscape(status))\">\(xmlEscape(body))</error>\n    </testcase>\n"
            case .warn:
                xml += ">\n      <system-out>\(xmlEscape("warning: \(status): \(body)"))</system-out>\n    </testcase>\n"
            }
        }
        for tag in moved {
            xml +=
                "    <testcase classname=\"lock\" name=\"\(xmlEscape(tag.ref))\">\n      <failure message=\"moved_tag\" type=\"moved_tag\">\(xmlEscape("the lock has \(tag.locked), the registry now has \(tag.current)"))</failure>\n    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>"
        return xml
    }

    static func xmlEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            // XML 1.0 cannot carry other control characters at all.
            case _ where scalar.value < 0x20: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// actions/toolkit escaping: `%`, CR, LF in messages; also `:` and `,` in properties.
    static func escapeMessage(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeMessage(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

}
