import Foundation
import RegistryLab
import ReleaseModel
import Testing

/// `new --check` and `promote` without `--report` run the gate themselves against real registries
/// on loopback (ReleaseLab: 1.0-rc5's workflow-worker tag is missing, a2cbb430 is there), and
/// write nothing unless it passes.
@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl), "needs docker-registry, apache2-utils and openssl (scripts/test installs them)"))
struct GateCLITests {
    @Test func newWritesOnlyWhatTheGatePasses() async throws {
        let lab = try await ReleaseLab.shared.value
        let scratch = try NewCLITests.releases()
        defer { scratch.remove() }
        let failing = try await CLI.run(["new", "1.0-rc6", "--from", "1.0-rc5", "--check", "--releases-dir", scratch.root.path] + lab.mirrors(lab.trio.open))
        #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
        #expect(failing.stdout.contains("FAIL ghcr.io/nine-minds/workflow-worker:a2cbb43 [missing_tag]"), "\(failing.stdout)")
        #expect(failing.stderr.contains("new: the gate's verdict for 1.0-rc6 is fail, not pass; nothing written"), "\(failing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("1.0-rc6")))

        let passing = try await CLI.run(
            ["new", "1.0-rc6", "--from", "1.0-rc5", "--set", "workflowWorker=a2cbb430", "--check", "--releases-dir", scratch.root.path]
                + lab.mirrors(lab.trio.open))
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(passing.stdout.contains("/app/images/workflowWorker: a2cbb43 -> a2cbb430"), "\(passing.stdout)")
        #expect(passing.stdout.hasSuffix("gate: pass (12 images present)\n"), "\(passing.stdout)")
        #expect(FileManager.default.fileExists(atPath: scratch.path("1.0-rc6/release.json")))
    }

    @Test func promoteRunsTheGateWithoutAReport() async throws {
        let lab = try await ReleaseLab.shared.value
        let scratch = try PromoteCLITests.releases()
        defer { scratch.remove() }
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.path("channels/stable.json")))
        let failing = try await CLI.run(["promote", "stable", "1.0-rc5.1", "--releases-dir", scratch.root.path] + lab.mirrors(lab.trio.open))
        #expect(failing.status == 1, "\(failing.stdout)\(failing.stderr)")
        #expect(failing.stdout.contains("verdict: fail (1 missing_tag, 11 present)"), "\(failing.stdout)")
        #expect(failing.stderr.contains("promote: the gate's verdict for 1.0-rc5.1 is fail"), "\(failing.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("channels/stable.json"))) == before, "a failing gate leaves the channel")

        let written = try await CLI.run(["new", "1.0-rc6", "--from", "1.0-rc5.1", "--set", "workflowWorker=a2cbb430", "--releases-dir", scratch.root.path])
        #expect(written.status == 0, "\(written.stderr)")
        let passing = try await CLI.run(["promote", "stable", "1.0-rc6", "--releases-dir", scratch.root.path] + lab.mirrors(lab.trio.open))
        #expect(passing.status == 0 && passing.stdout == "channel stable: 1.0-rc5 -> 1.0-rc6\n", "\(passing.stdout)\(passing.stderr)")

        // A registry that cannot be reached: no verdict, no move.
        let unreachable = try await CLI.run(
            [
                "promote", "stable", "1.0-rc6", "--allow-downgrade", "--releases-dir", scratch.root.path, "--mirror", "ghcr.io=http://127.0.0.1:9",
                "--mirror", "docker.io=http://127.0.0.1:9", "--attempts", "1",
            ])
        #expect(unreachable.status == 3, "\(unreachable.stdout)\(unreachable.stderr)")
        #expect(try String(contentsOfFile: scratch.path("channels/stable.json"), encoding: .utf8).contains(#""releaseVersion": "1.0-rc6""#))
    }
}

extension GateCLITests {
    /// The download of an upgrade from two real locks: email-service retagged to an image built on
    /// the same base layer, so only its new config and new layer are pulled.
    @Test func theDownloadCountsWhatTheNodeLacksLayerByLayer() async throws {
        let lab = try await ReleaseLab.shared.value
        let scratch = try NewCLITests.releases()
        defer { scratch.remove() }
        let seeder = RegistrySeeder(baseURL: lab.trio.open.baseURL, http: lab.http)
        try await seeder.push(
            .single(platform: "linux/amd64", layerSizes: [3072, 5000], baseSeed: "nine-minds/email-service:61e4a00e"), repository: "nine-minds/email-service",
            tag: "e7f00d1e")
        let new = try await CLI.run(["new", "1.0-rc6", "--from", "1.0-rc5", "--set", "emailService=e7f00d1e", "--releases-dir", scratch.root.path])
        #expect(new.status == 0, "\(new.stderr)")
        for release in ["1.0-rc5", "1.0-rc6"] {
            let check = try await CLI.run(
                ["check", release, "--write-lock", scratch.path("\(release).lock"), "--releases-dir", scratch.root.path] + lab.mirrors(lab.trio.open))
            #expect(check.status == 1, "workflow-worker is missing in both: \(check.stdout)")
        }
        let lock = try RegistryLock.read(scratch.path("1.0-rc6.lock"))
        let email = try #require(lock.images.first { $0.ref == "ghcr.io/nine-minds/email-service:e7f00d1e" })
        let blobs = try #require(email.blobs)
        #expect(blobs.map(\.size).dropFirst() == [3072, 5000], "config, then the layers in order")
        let diff = try await CLI.run([
            "diff", "1.0-rc5", "1.0-rc6", "--format", "json", "--releases-dir", scratch.root.path, "--from-lock", scratch.path("1.0-rc5.lock"),
            "--to-lock", scratch.path("1.0-rc6.lock"),
        ])
        let json = DiffCLITests.json(diff)
        #expect(json["download"] as? Int == blobs[0].size + 5000, "the shared 3072-byte base is not pulled again: \(diff.stdout)")
        #expect(email.compressedSize == blobs[0].size + 3072 + 5000)
        let asked = try await CLI.run(
            ["diff", "1.0-rc5", "1.0-rc6", "--format", "json", "--check", "--releases-dir", scratch.root.path] + lab.mirrors(lab.trio.open))
        #expect(DiffCLITests.json(asked)["download"] as? Int == blobs[0].size + 5000, "the registries asked now say the same: \(asked.stdout)")
    }
}
