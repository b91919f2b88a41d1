import Foundation
import Testing

/// `alga-release diff` on the real releases and on scratch ones made with `new`.
@Suite struct DiffCLITests {
    static func json(_ run: Run) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:] }

    @Test func theRealReleasesDifferInTwoFieldsOnly() async throws {
        let run = try await CLI.run(["diff", "1.0-rc5", "1.0-rc5.1", "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        let json = Self.json(run)
        let fields = (json["fields"] as? [[String: Any]]) ?? []
        #expect(fields.compactMap { $0["pointer"] as? String } == ["/releaseVersion", "/generatedAt"], "\(fields)")
        #expect((json["images"] as? [Any])?.isEmpty == true)
        #expect(json["download"] == nil, "no download without locks")
        let same = try await CLI.run(["diff", "1.0-rc5.1", "channel:stable"])
        #expect(same.status == 0 && same.stdout.contains("no difference"), "\(same.stdout)")
    }

    /// Two releases with different tags and their locks: the image retagged, its size, and the
    /// download (the images of B whose digest A's lock does not have).
    @Test func retaggedImagesAndTheDownload() async throws {
        let scratch = try NewCLITests.releases()
        defer { scratch.remove() }
        let new = try await CLI.run([
            "new", "1.0-rc6", "--from", "1.0-rc5.1", "--set", "algaCore=b7d1e2f0", "--date", "2026-12-01T00:00:00Z", "--releases-dir", scratch.root.path,
        ])
        #expect(new.status == 0, "\(new.stderr)")
        func lock(_ release: String, _ tag: String, _ digit: String, _ size: Int) throws -> String {
            try scratch.write(
                "\(release).lock.json",
                Data(
                    #"{"schemaVersion": 1, "release": "\#(release)", "platform": "linux/amd64", "images": [{"ref": "ghcr.io/nine-minds/alga-psa-ee:\#(tag)", "digest": "sha256:\#(String(repeating: digit, count: 64))", "compressedSize": \#(size), "platforms": ["linux/amd64"]}, {"ref": "docker.io/library/redis:7.4", "digest": "sha256:\#(String(repeating: "c", count: 64))", "compressedSize": 40000000, "platforms": ["linux/amd64"]}]}"#
                        .utf8))
        }
        let run = try await CLI.run([
            "diff", "1.0-rc5.1", "1.0-rc6", "--format", "json", "--releases-dir", scratch.root.path, "--from-lock",
            try lock("1.0-rc5.1", "a2cbb430", "a", 1_800_000_000),
            "--to-lock", try lock("1.0-rc6", "b7d1e2f0", "b", 1_900_000_000),
        ])
        #expect(run.status == 1, "\(run.stderr)")
        let json = Self.json(run)
        let images = (json["images"] as? [[String: Any]]) ?? []
        #expect(images.count == 1, "\(images)")
        let core = try #require(images.first)
        #expect(core["key"] as? String == "algaCore" && core["change"] as? String == "retagged")
        #expect(core["to"] as? String == "ghcr.io/nine-minds/alga-psa-ee:b7d1e2f0" && core["compressedSize"] as? Int == 1_900_000_000)
        #expect(json["download"] as? Int == 1_900_000_000, "redis is the same digest in both locks: not downloaded again")
        let text = try await CLI.run([
            "diff", "1.0-rc5.1", "1.0-rc6", "--releases-dir", scratch.root.path, "--from-lock", scratch.path("1.0-rc5.1.lock.json"), "--to-lock",
            scratch.path("1.0-rc6.lock.json"),
        ])
        #expect(text.stdout.contains("download: 1.9 GB"), "\(text.stdout)")
    }

    /// With --repo the two install plans are compared object by object.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl)))
    func theInstallPlansAreComparedObjectByObject() async throws {
        let scratch = try NewCLITests.releases()
        defer { scratch.remove() }
        _ = try await CLI.run([
            "new", "1.0-rc6", "--from", "1.0-rc5.1", "--set", "algaCore=b7d1e2f0", "--date", "2026-12-01T00:00:00Z", "--releases-dir", scratch.root.path,
        ])
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("diff-repo-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/Fixtures/plan/repo"), to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let render = try await CLI.run([
            "render", "1.0-rc5.1", "1.0-rc6", "--releases-dir", scratch.root.path, "--out", root.appendingPathComponent("ee/appliance/flux").path,
        ])
        #expect(render.status == 0, "\(render.stderr)")
        let run = try await CLI.run([
            "diff", "1.0-rc5.1", "1.0-rc6", "--format", "json", "--releases-dir", scratch.root.path, "--repo", root.path, "--helm",
            try #require(SystemTool.helm.path),
        ])
        #expect(run.status == 1, "\(run.stderr)")
        let objects = (Self.json(run)["objects"] as? [[String: Any]]) ?? []
        let server = try #require(objects.first { $0["object"] as? String == "Deployment msp/alga-core-sebastian" }, "\(objects.compactMap { $0["object"] })")
        #expect(server["change"] as? String == "changed")
        let fields = (server["fields"] as? [[String: Any]]) ?? []
        #expect(
            fields.contains {
                $0["path"] as? String == "spec.template.spec.containers[0].image" && $0["from"] as? String == "ghcr.io/nine-minds/alga-psa-ee:a2cbb430"
                    && $0["to"] as? String == "ghcr.io/nine-minds/alga-psa-ee:b7d1e2f0"
            }, "\(fields)")
        #expect(!objects.contains { $0["object"] as? String == "Deployment msp/pgbouncer" }, "an object that did not change is not listed")
    }
}
