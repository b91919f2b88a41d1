import Foundation
import Testing

/// `alga-release promote` on scratch releases folders: only a valid release with a fresh passing
/// gate report moves a channel, never backwards unless asked, keeping the file's other fields.
@Suite struct PromoteCLITests {
    static func releases() throws -> ScratchReleases {
        let scratch = try NewCLITests.releases()
        try scratch.write(
            "channels/stable.json",
            Data(#"{"channel": "stable", "releaseVersion": "1.0-rc5", "repoBranch": "release/1.0-rc5", "updatedAt": "2026-05-01T00:00:00Z"}"#.utf8))
        return scratch
    }

    /// The refs `check RELEASE` would report: the release's images as `images` lists them.
    static func refs(_ scratch: ScratchReleases, _ release: String) async throws -> [String] {
        let run = try await CLI.run(["images", release, "--format", "json", "--releases-dir", scratch.root.path])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(json["images"] as? [[String: Any]]).compactMap { $0["ref"] as? String }
    }

    /// A gate report as `check --format json` writes it. `images` defaults to every image of the
    /// release, present; `change` edits the image list (or the whole text) before it is written.
    static func report(
        _ scratch: ScratchReleases, release: String = "1.0-rc5.1", policy: String = "gate", verdict: String = "pass", age: Double? = 60,
        images: [(ref: String, status: String)]? = nil, text change: ((String) -> String)? = nil
    ) async throws -> String {
        let finished = age.map { #", "finishedAt": "\#(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-$0)))""# } ?? ""
        var listed: [(ref: String, status: String)] = []
        if let images { listed = images } else { listed = try await refs(scratch, release).map { ($0, "present") } }
        let entries = listed.map { #"{"ref": "\#($0.ref)", "status": "\#($0.status)", "digest": "sha256:\#(String(repeating: "a", count: 64))"}"# }
        let text = #"{"release": "\#(release)", "policy": "\#(policy)", "verdict": "\#(verdict)"\#(finished), "images": [\#(entries.joined(separator: ", "))]}"#
        return try scratch.write("gate-\(UUID().uuidString).json", Data((change?(text) ?? text).utf8))
    }

    @Test func aPassingFreshGateMovesTheChannelKeepingItsFields() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try await Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == "channel stable: 1.0-rc5 -> 1.0-rc5.1\n")
        let text = try String(contentsOfFile: scratch.path("channels/stable.json"), encoding: .utf8)
        #expect(
            text.hasPrefix(
                "{\n  \"channel\": \"stable\",\n  \"releaseVersion\": \"1.0-rc5.1\",\n  \"repoBranch\": \"release/1.0-rc5\",\n  \"updatedAt\": \"2026-"))
        #expect(!text.contains("2026-05-01T00:00:00Z"), "updatedAt is now")
        let list = try await CLI.run(["list", "--releases-dir", scratch.root.path])
        #expect(list.stdout.contains("channel:stable -> 1.0-rc5.1"), "\(list.stdout)")
    }

    @Test(arguments: [
        ("another release", "1.0-rc5", "gate", "pass", 60.0, "is the report of 1.0-rc5, not of this release"),
        ("another policy", "1.0-rc5.1", "preflight", "pass", 60.0, "promotion needs --policy gate"),
        ("a failing gate", "1.0-rc5.1", "gate", "fail", 60.0, "only a passing gate promotes"),
        ("a stale report", "1.0-rc5.1", "gate", "pass", 200_000.0, "more than --max-age"),
        ("a report from the future", "1.0-rc5.1", "gate", "pass", -3_600.0, "in the future"),
    ])
    func refusedReports(what: String, release: String, policy: String, verdict: String, age: Double, says: String) async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let report = try await Self.report(scratch, release: release, policy: policy, verdict: verdict, age: age)
        let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--releases-dir", scratch.root.path])
        #expect(run.status == 2, "\(what): \(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(says), "\(what): \(run.stderr)")
        #expect(try String(contentsOfFile: scratch.path("channels/stable.json"), encoding: .utf8).contains(#""releaseVersion": "1.0-rc5""#))
    }

    @Test func downgradesAndNewChannelsNeedTheirFlag() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let up = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try await Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(up.status == 0)
        let back = try await Self.report(scratch, release: "1.0-rc5")
        let refused = try await CLI.run(["promote", "stable", "1.0-rc5", "--report", back, "--releases-dir", scratch.root.path])
        #expect(refused.status == 2 && refused.stderr.contains("give --allow-downgrade"), "\(refused.stderr)")
        let allowed = try await CLI.run(["promote", "stable", "1.0-rc5", "--report", back, "--allow-downgrade", "--releases-dir", scratch.root.path])
        #expect(allowed.status == 0 && allowed.stdout == "channel stable: 1.0-rc5.1 -> 1.0-rc5\n", "\(allowed.stderr)")

        let missing = try await CLI.run(["promote", "beta", "1.0-rc5.1", "--report", try await Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(missing.status == 2 && missing.stderr.contains("give --create"), "\(missing.stderr)")
        let made = try await CLI.run([
            "promote", "beta", "1.0-rc5.1", "--report", try await Self.report(scratch), "--create", "--releases-dir", scratch.root.path,
        ])
        #expect(made.status == 0 && made.stdout == "channel beta: (none) -> 1.0-rc5.1\n", "\(made.stderr)")
        let beta = try String(contentsOfFile: scratch.path("channels/beta.json"), encoding: .utf8)
        #expect(beta.hasPrefix("{\n  \"channel\": \"beta\",\n  \"repoBranch\": \"release/1.0-rc5\",\n  \"releaseVersion\": \"1.0-rc5.1\","), "\(beta)")
        let report = try await CLI.run([
            "promote", "stable", "1.0-rc5.1", "--report", try await Self.report(scratch, age: nil), "--releases-dir", scratch.root.path,
        ])
        #expect(report.status == 2 && report.stderr.contains("finishedAt"), "a report without its time is refused")
    }

    /// A report promotes only the release it checked, as it is now: an image retagged after the
    /// gate ran, an image the report never saw, a verdict its images contradict, or a duplicated
    /// key is refused, and the channel stays.
    @Test func aReportPromotesOnlyTheReleaseItChecked() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let checked = try await Self.refs(scratch, "1.0-rc5.1")
        #expect(checked.contains("ghcr.io/nine-minds/alga-psa-ee:a2cbb430"), "\(checked)")
        let report = try await Self.report(scratch)
        // The release changes after the gate ran: app.images.algaCore names a tag nobody checked.
        let file = scratch.path("1.0-rc5.1/release.json")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: #""algaCore": "a2cbb430""#, with: #""algaCore": "ffffffff""#).write(
            toFile: file, atomically: true, encoding: .utf8)
        let retagged = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--releases-dir", scratch.root.path])
        #expect(retagged.status == 2, "\(retagged.stdout)\(retagged.stderr)")
        #expect(retagged.stderr.contains("ghcr.io/nine-minds/alga-psa-ee:ffffffff was not checked"), "\(retagged.stderr)")
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let cases: [(String, String)] = [
            ("an image missing from the report", try await Self.report(scratch, images: checked.dropFirst().map { ($0, "present") })),
            ("a pass over a missing tag", try await Self.report(scratch, images: checked.map { ($0, $0.contains("alga-psa-ee") ? "missing_tag" : "present") })),
            ("no images at all", try await Self.report(scratch, images: [])),
            (
                "a duplicated verdict",
                try await Self.report(scratch, text: { $0.replacingOccurrences(of: #""verdict": "pass""#, with: #""verdict": "fail", "verdict": "pass""#) })
            ),
        ]
        let says = ["was not checked", "is missing_tag: the verdict does not follow", "names no image", "is given twice"]
        for ((what, path), expected) in zip(cases, says) {
            let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", path, "--releases-dir", scratch.root.path])
            #expect(run.status == 2 && run.stderr.contains(expected), "\(what): \(run.stderr)")
        }
        #expect(try String(contentsOfFile: scratch.path("channels/stable.json"), encoding: .utf8).contains(#""releaseVersion": "1.0-rc5""#))
        // The same report, the release as it was checked: it moves.
        let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--releases-dir", scratch.root.path])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Versions are ordered as versions, not as text: "1.0" is after "1.0-rc5.1" (as text it is
    /// before), so moving a channel from 1.0 to 1.0-rc5.1 is a downgrade.
    @Test func aReleaseCandidateAfterTheReleaseIsADowngrade() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let report = try await Self.report(scratch)
        let made = try await CLI.run(["new", "1.0", "--from", "1.0-rc5.1", "--releases-dir", scratch.root.path])
        #expect(made.status == 0, "\(made.stderr)")
        try scratch.write("channels/stable.json", Data(#"{"channel": "stable", "releaseVersion": "1.0", "updatedAt": "2026-05-01T00:00:00Z"}"#.utf8))
        let refused = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--releases-dir", scratch.root.path])
        #expect(refused.status == 2 && refused.stderr.contains("points at 1.0, newer than 1.0-rc5.1"), "\(refused.stderr)")
        let allowed = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--allow-downgrade", "--releases-dir", scratch.root.path])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    /// A channel file with a key twice is refused wherever it is read: validate, list, promote.
    @Test func aChannelWithADuplicatedKeyIsRefused() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        try scratch.write("channels/stable.json", Data(#"{"channel": "stable", "releaseVersion": "1.0-rc5", "releaseVersion": "1.0-rc5.1"}"#.utf8))
        let validate = try await CLI.run(["validate", "channel:stable", "--releases-dir", scratch.root.path])
        #expect(validate.status == 2 && validate.stderr.contains("/releaseVersion: this key is given twice"), "\(validate.stderr)")
        let promote = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try await Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(promote.status == 2 && promote.stderr.contains("given twice"), "\(promote.stderr)")
    }
}
