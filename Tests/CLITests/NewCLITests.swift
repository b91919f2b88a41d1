import Foundation
import Testing

/// `alga-release new` on scratch releases folders holding the real manifests.
@Suite struct NewCLITests {
    static func releases() throws -> ScratchReleases {
        let scratch = try ScratchReleases()
        for version in ["1.0-rc5", "1.0-rc5.1"] {
            try scratch.write(
                "\(version)/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("\(version)/release.json")))
        }
        return scratch
    }

    /// From each real release: nothing of the new one names the old, and it validates strictly on
    /// its own findings (the copied-field lint among them).
    @Test(arguments: ["1.0-rc5", "1.0-rc5.1"])
    func aNewReleaseNamesItselfOnly(from: String) async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let run = try await CLI.run([
            "new", "1.0-rc6", "--from", from, "--set", "algaCore=b7d1e2f0", "--date", "2026-12-01T00:00:00Z", "--releases-dir", scratch.root.path,
        ])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("/app/images/algaCore: a2cbb430 -> b7d1e2f0"))
        #expect(run.stdout.contains("/app/releaseBranch: release/1.0-rc5 -> release/1.0-rc6"))
        let text = try String(contentsOfFile: scratch.path("1.0-rc6/release.json"), encoding: .utf8)
        #expect(!text.contains("1.0-rc5"), "\(text)")
        #expect(text.contains(#""generatedAt": "2026-12-01T00:00:00Z""#) && text.contains(#""algaCore": "b7d1e2f0""#))
        let validate = try await CLI.run(["validate", "1.0-rc6", "--strict", "--releases-dir", scratch.root.path])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(!validate.stdout.contains("lint.copied-field"))
    }

    @Test(arguments: [
        (["new", "1.0-rc5.1", "--from", "1.0-rc5"], 2, "exists already"),
        (["new", "0.9", "--from", "1.0-rc5"], 2, "is not newer than 1.0-rc5"),
        (["new", "1.0-rc6", "--from", "1.0-rc5", "--set", "nope=1"], 2, "its app.images keys: algaCore, workflowWorker, emailService, temporalWorker"),
        (["new", "1.0-rc6", "--from", "1.0-rc5", "--date", "yesterday"], 64, "RFC 3339"),
        (["new", "not a version", "--from", "1.0-rc5"], 64, "is not a release version"),
    ])
    func refusals(arguments: [String], status: Int32, says: String) async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let run = try await CLI.run(arguments + ["--releases-dir", scratch.root.path])
        #expect(run.status == status, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(says), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("1.0-rc6")) && !FileManager.default.fileExists(atPath: scratch.path("0.9")))
    }

    /// A result the schema refuses is not written, not even its folder.
    @Test func anInvalidResultIsNotWritten() async throws {
        let scratch = try Self.releases()
        defer { scratch.remove() }
        let run = try await CLI.run(["new", "1.0-rc6", "--from", "1.0-rc5.1", "--set", "algaCore=NOT A TAG", "--releases-dir", scratch.root.path])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("/app/images/algaCore"), "\(run.stdout)")
        #expect(run.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("1.0-rc6")))
    }
}
