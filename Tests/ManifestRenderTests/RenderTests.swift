import ApplianceModel
import Foundation
import ReleaseModel
import TestSupport
import Testing
import Yams

@testable import ManifestRender

/// The stable channel's release, rendered from the repository's templates.
struct Fixture {
    let report: ValidationReport
    let images: [ResolvedImage]
    let preFlux: Set<String>

    init(_ release: String = "channel:stable") throws {
        report = try ReleaseValidator.validate(release, releasesDirectory: releasesDirectory)
        images = try #require(report.images)
        preFlux = report.preFluxKeys
    }

    func input(lock: RegistryLock? = nil) -> RenderInput {
        RenderInput(
            releaseVersion: report.release, profile: "talos-single-node", images: images, preFluxKeys: preFlux, lock: lock,
            sourceName: ApplianceModel.standard.provided(.gitRepository)?.name ?? "")
    }

    var deployed: [ResolvedImage] { images.filter { !preFlux.contains($0.key) } }

    func render(_ templates: [Template]? = nil, lock: RegistryLock? = nil) throws -> [String: String] {
        try Renderer.render(templates ?? Renderer.loadTemplates(packageRoot.appendingPathComponent("templates").path), input: input(lock: lock))
    }

    /// The releases the committed flux/ holds an entry for.
    static let committed = ["1.0-rc5", "1.0-rc5.1"]
}

@Suite struct RenderTests {
    /// The committed flux/ is what a fresh render of its releases gives, byte for byte: base/ once,
    /// an entry per release.
    @Test func committedTreeIsAFreshRender() throws {
        let templates = try Renderer.loadTemplates(packageRoot.appendingPathComponent("templates").path)
        let files = try Renderer.render(templates, inputs: try Fixture.committed.map { try Fixture($0).input() })
        let drift = TreeWriter.drift(files, against: packageRoot.appendingPathComponent("flux").path)
        #expect(
            drift.isEmpty,
            "flux/ drifted; regenerate with: alga-release render \(Fixture.committed.joined(separator: " ")) --out flux\n\(drift.map(\.diff).joined())")
        #expect(files.keys.contains("releases/1.0-rc5/kustomization.yaml") && files.keys.contains("releases/1.0-rc5.1/kustomization.yaml"))
    }

    /// base/ is the same for every release; a release's tags are its entry's only.
    @Test func baseIsSharedAndTagsLiveInTheEntry() throws {
        let fixture = try Fixture()
        var other = fixture.input()
        other.releaseVersion = "9.9.9"
        for i in other.images.indices where other.images[i].key == "algaCore" { other.images[i].ref.tag = "feedbeef" }
        let templates = try Renderer.loadTemplates(packageRoot.appendingPathComponent("templates").path)
        let files = try Renderer.render(templates, inputs: [fixture.input(), other])
        #expect(files["releases/9.9.9/values/alga-core.yaml"]?.contains("tag: feedbeef") == true)
        #expect(files["releases/\(fixture.report.release)/values/alga-core.yaml"]?.contains("tag: a2cbb430") == true)
        let base = files.filter { $0.key.hasPrefix("base/") }
        #expect(!base.isEmpty && base.values.allSatisfy { !$0.contains("a2cbb430") && !$0.contains("feedbeef") }, "a release's tag is in base/")
    }

    @Test func deterministic() throws {
        let fixture = try Fixture()
        #expect(try fixture.render() == fixture.render())
    }

    @Test func renderedTreeIsLintClean() throws {
        let fixture = try Fixture()
        #expect(ManifestLinter.lint(try fixture.render(), images: fixture.deployed, model: .standard) == [])
    }

    @Test func everyDocumentParsesBackAndTagsStayStrings() throws {
        let fixture = try Fixture()
        let files = try fixture.render()
        let core = try #require(files["releases/\(fixture.report.release)/values/alga-core.yaml"])
        let values = try #require(try Yams.load(yaml: core) as? [String: Any])
        let redis = (values["redis"] as? [String: Any])?["image"] as? [String: Any]
        #expect(redis?["tag"] as? String == "7.4")
        #expect(core.contains("tag: \"7.4\""))
        for (_, text) in files { #expect(Array(try Yams.load_all(yaml: text)).count >= 1) }
    }

    @Test func imagesComeFromTheInventoryAndTheLockPinsDigests() throws {
        let fixture = try Fixture()
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let entries = fixture.images.map {
            RegistryLock.Entry(ref: $0.ref.taggedReference.description, digest: digest, mediaType: nil, compressedSize: nil, platforms: [])
        }
        let files = try fixture.render(lock: RegistryLock(release: fixture.report.release, platform: "linux/amd64", images: entries))
        #expect(files["base/platform/appliance-status.yaml"]?.contains("image: ghcr.io/nine-minds/appliance-status:0.1.0@\(digest)") == true)
        #expect(files["releases/\(fixture.report.release)/values/alga-core.yaml"]?.contains("tag: a2cbb430@\(digest)") == true)
        #expect(files["base/core/alga-core.yaml"]?.contains("1.36@\(digest)") == true, "the chart's literal busybox is pinned to the digest")
        #expect(ManifestLinter.lint(files, images: fixture.deployed, model: .standard) == [])

        let partial = RegistryLock(release: nil, platform: "linux/amd64", images: entries.filter { !$0.ref.contains("workflow-worker") })
        #expect(throws: RenderError.self) { try fixture.render(lock: partial) }
        do { _ = try fixture.render(lock: partial) } catch let error as RenderError {
            #expect(error.reason.contains("ghcr.io/nine-minds/workflow-worker:a2cbb43"))
        }
    }

    @Test func writesOnlyWhenBytesChangeAndCheckReportsDrift() throws {
        let files = try Fixture().render()
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let out = scratch.path("out/flux")
        #expect(try TreeWriter.write(files, to: out).count == files.count)
        let file = URL(fileURLWithPath: out).appendingPathComponent("base/core/pgbouncer.yaml")
        let before = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        #expect(try TreeWriter.write(files, to: out).isEmpty)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date == before)

        try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "retries: 5", with: "retries: 0").utf8).write(to: file)
        try Data("stale: true\n".utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("base/stale.yaml"))
        let drift = TreeWriter.drift(files, against: out)
        #expect(drift.map(\.path) == ["base/core/pgbouncer.yaml", "base/stale.yaml"])
        #expect(drift[0].diff.contains("-      retries: 0\n+      retries: 5\n"))
        #expect(drift[0].diff.hasPrefix("--- a/base/core/pgbouncer.yaml\n+++ b/base/core/pgbouncer.yaml\n@@ "))
        #expect(drift[1].diff.contains("+++ /dev/null"))
        try TreeWriter.write(files, to: out)
        #expect(TreeWriter.drift(files, against: out).isEmpty)
    }
}

@Suite struct EmitterTests {
    /// Strings Kubernetes' YAML 1.1 reader would turn into something else are quoted; others stay plain.
    @Test(arguments: [
        "y", "n", "Y", "N", "yes", "on", "Off", "true", "null", "~", "", "8080", "1.0", "1e3", "0x1F", "2024-1-2", "+.5", "-", "- item",
        "a: b", "#x", "@x", " lead", "trail ", "x #y", "multi\nline", "tab\there", "quote\"s", "back\\slash", "ünï",
    ])
    func quotedStringsReadBackAsThemselves(value: String) throws {
        let key = Node.scalar(Node.Scalar("k"))
        let scalar = Node.scalar(Node.Scalar(value, Tag(.str), .doubleQuoted))
        let emitted = YAMLEmitter.emit(Node.mapping(Node.Mapping([(key, scalar)]))) { _ in .string }
        let loaded = try #require(try Yams.load(yaml: emitted) as? [String: Any])
        #expect(loaded["k"] as? String == value, "emitted: \(emitted)")
        if ["y", "n", "Y", "N"].contains(value) { #expect(emitted == "k: \"\(value)\"\n") }
    }

    @Test(arguments: ["ghcr.io/nine-minds/alga-psa-ee:a2cbb430", "a2cbb430", "v1.12.0", "alga-core.talos-single-node.yaml", "/etc/temporal"])
    func unambiguousStringsStayPlain(value: String) {
        #expect(YAMLEmitter.isSafePlain(value))
    }

    @Test func unifiedDiffHunks() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 3\n", with: "line three\n").replacingOccurrences(of: "line 18\n", with: "")
        let diff = UnifiedDiff.diff(old: old, new: new, oldName: "a/x", newName: "b/x")
        #expect(diff.contains("@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+line three\n line 4\n"))
        #expect(diff.contains("@@ -15,6 +15,5 @@\n line 15\n line 16\n line 17\n-line 18\n line 19\n line 20\n"))
    }
}
