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

    static func report(
        _ scratch: ScratchReleases, release: String = "1.0-rc5.1", policy: String = "gate", verdict: String = "pass", age: Double? = 60
    )
        throws -> String
    {
        let finished = age.map { #", "finishedAt": "\#(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-$0)))""# } ?? ""
        return try scratch.write(
            "gate-\(UUID().uuidString).json",
            Data(#"{"release": "\#(release)", "policy": "\#(policy)", "verdict": "\#(verdict)"\#(finished), "images": []}"#.utf8))
    }

    @Test func aPassingFreshGateMovesTheChannelKeepingItsFields() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try Self.report(scratch), "--releases-dir", scratch.root.path])
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
        ("another release", "1.0-rc5", "gate", "pass", 60.0, "not of release 1.0-rc5.1"),
        ("another policy", "1.0-rc5.1", "preflight", "pass", 60.0, "promotion needs --policy gate"),
        ("a failing gate", "1.0-rc5.1", "gate", "fail", 60.0, "only a passing gate promotes"),
        ("a stale report", "1.0-rc5.1", "gate", "pass", 200_000.0, "more than --max-age"),
        ("a report from the future", "1.0-rc5.1", "gate", "pass", -3_600.0, "in the future"),
    ])
    func refusedReports(what: String, release: String, policy: String, verdict: String, age: Double, says: String) async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let report = try Self.report(scratch, release: release, policy: policy, verdict: verdict, age: age)
        let run = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", report, "--releases-dir", scratch.root.path])
        #expect(run.status == 2, "\(what): \(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(says), "\(what): \(run.stderr)")
        #expect(try String(contentsOfFile: scratch.path("channels/stable.json"), encoding: .utf8).contains(#""releaseVersion": "1.0-rc5""#))
    }

    @Test func downgradesAndNewChannelsNeedTheirFlag() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let up = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(up.status == 0)
        let back = try Self.report(scratch, release: "1.0-rc5")
        let refused = try await CLI.run(["promote", "stable", "1.0-rc5", "--report", back, "--releases-dir", scratch.root.path])
        #expect(refused.status == 2 && refused.stderr.contains("give --allow-downgrade"), "\(refused.stderr)")
        let allowed = try await CLI.run(["promote", "stable", "1.0-rc5", "--report", back, "--allow-downgrade", "--releases-dir", scratch.root.path])
        #expect(allowed.status == 0 && allowed.stdout == "channel stable: 1.0-rc5.1 -> 1.0-rc5\n", "\(allowed.stderr)")

        let missing = try await CLI.run(["promote", "beta", "1.0-rc5.1", "--report", try Self.report(scratch), "--releases-dir", scratch.root.path])
        #expect(missing.status == 2 && missing.stderr.contains("give --create"), "\(missing.stderr)")
        let made = try await CLI.run(["promote", "beta", "1.0-rc5.1", "--report", try Self.report(scratch), "--create", "--releases-dir", scratch.root.path])
        #expect(made.status == 0 && made.stdout == "channel beta: (none) -> 1.0-rc5.1\n", "\(made.stderr)")
        let beta = try String(contentsOfFile: scratch.path("channels/beta.json"), encoding: .utf8)
        #expect(beta.hasPrefix("{\n  \"channel\": \"beta\",\n  \"repoBranch\": \"release/1.0-rc5\",\n  \"releaseVersion\": \"1.0-rc5.1\","), "\(beta)")
        let report = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--report", try Self.report(scratch, age: nil), "--releases-dir", scratch.root.path])
        #expect(report.status == 2 && report.stderr.contains("finishedAt"), "a report without its time is refused")
    }
}
