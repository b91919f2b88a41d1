import Foundation
import Testing

/// A write cut short (here by a file-size limit, as a full disk would) leaves the old state: the
/// channel byte for byte, no temporary file beside it, no half-written release.
@Suite struct InterruptedWriteCLITests {
    /// Runs alga-release with writes limited to 1 KiB per file (bash's `ulimit -f 1`), SIGXFSZ
    /// ignored so the write fails with EFBIG instead of killing the process.
    static func limited(_ arguments: [String]) async throws -> Run {
        try await Subprocess.run("/bin/bash", ["-c", #"trap '' XFSZ; ulimit -f 1; exec "$0" "$@""#, CLI.binary] + arguments)
    }

    @Test func aChannelWriteCutShortLeavesTheChannel() async throws {
        let scratch = try PromoteCLITests.releases()
        defer { scratch.remove() }
        // Other fields the channel keeps make the new file longer than the limit.
        let padded = Data(
            (#"{"channel": "stable", "releaseVersion": "1.0-rc5", "notes": ""# + String(repeating: "x", count: 1500)
                + #"", "updatedAt": "2026-05-01T00:00:00Z"}"#).utf8)
        try scratch.write("channels/stable.json", padded)
        let run = try await Self.limited([
            "promote", "stable", "1.0-rc5.1", "--report", try PromoteCLITests.report(scratch), "--releases-dir", scratch.root.path,
        ])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("cannot write the channel (it is unchanged)"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("channels/stable.json"))) == padded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("channels")) == ["stable.json"], "no temporary file is left")
    }

    @Test func aReleaseWriteCutShortWritesNothing() async throws {
        let scratch = try NewCLITests.releases()
        defer { scratch.remove() }
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.root.path).sorted()
        let run = try await Self.limited(["new", "1.0-rc6", "--from", "1.0-rc5.1", "--releases-dir", scratch.root.path])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("cannot write"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.root.path).sorted() == before)
    }
}
