import Foundation
import Testing

/// One declared model (#12): change `releases/appliance.json` and every command follows it, with
/// no other file touched. Each case runs the real binary on a scratch releases folder holding the
/// changed model.
@Suite struct ModelCLITests {
    /// A releases folder with the changed model and release 1.0-rc5.1 (the one flux/ is rendered from).
    static func releases(_ change: ModelChange) throws -> ScratchReleases {
        let scratch = try ScratchReleases()
        try scratch.write("appliance.json", Data(try change.text.utf8))
        let release = URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5.1/release.json")
        try scratch.write("1.0-rc5.1/release.json", try Data(contentsOf: release))
        return scratch
    }

    @Test(arguments: [ModelChange.newBackgroundComponent, .pgbouncerInBackground])
    func imagesFollowTheModel(_ change: ModelChange) async throws {
        let scratch = try Self.releases(change)
        defer { scratch.remove() }
        let run = try await CLI.run(["images", "1.0-rc5.1", "--releases-dir", scratch.root.path])
        #expect(run.status == 0, "\(run.stderr)")
        let repository = change == .newBackgroundComponent ? "ghcr.io/nine-minds/search-indexer:1.0.0" : "docker.io/edoburu/pgbouncer:"
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains(repository) }, "\(run.stdout)")
        #expect(line.hasPrefix("background  no "), "\(line)")
    }

    /// The committed tree no longer matches what the model says is installed where.
    @Test(arguments: ModelChange.allCases)
    func lintManifestsFollowsTheModel(_ change: ModelChange) async throws {
        let scratch = try Self.releases(change)
        defer { scratch.remove() }
        let run = try await CLI.run(["lint-manifests", "flux", "--release", "1.0-rc5.1", "--releases-dir", scratch.root.path])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        switch change {
        case .newBackgroundComponent:
            #expect(
                run.stdout.contains("HelmRelease search, which installs search-indexer (tier background), is not rendered [model.placement]"), "\(run.stdout)")
        case .pgbouncerInBackground:
            #expect(
                run.stdout.contains("flux/base/core/pgbouncer.yaml:")
                    && run.stdout.contains("it belongs to the Kustomization alga-background, not alga-core [model.placement]"),
                "\(run.stdout)")
        case .applicationInNamespaceAlga:
            #expect(
                run.stdout.contains("HelmRelease pgbouncer has spec.targetNamespace msp; the model says alga (where pgbouncer runs) [model.namespace]"),
                "\(run.stdout)")
            #expect(!run.stdout.contains("[model.placement]"), "\(run.stdout)")
        }
        // The unchanged model passes the same tree.
        let clean = try await CLI.run(["lint-manifests", "flux", "--release", "1.0-rc5.1"])
        #expect(clean.status == 0, "\(clean.stdout)")
    }

    /// render refuses a model image no template deploys: it would never reach the appliance.
    @Test func renderRefusesAModelImageNoTemplateUses() async throws {
        let scratch = try Self.releases(.newBackgroundComponent)
        defer { scratch.remove() }
        let out = scratch.path("tree")
        let run = try await CLI.run(["render", "1.0-rc5.1", "--releases-dir", scratch.root.path, "--out", out])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("no template uses the image searchIndexer"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// `status --model` judges a recorded cluster by the changed model: a component the cluster
    /// lacks is not installed, in the background, and login stays ready; a moved one changes tier.
    @Test(arguments: ModelChange.allCases)
    func statusFollowsTheModel(_ change: ModelChange) async throws {
        let scratch = try Self.releases(change)
        defer { scratch.remove() }
        let snapshot = k8sFixtures.appendingPathComponent("healthy-full").path
        let run = try await CLI.run(["status", "--snapshot", snapshot, "--model", scratch.path("appliance.json"), "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let components = try #require(document["components"] as? [[String: Any]])
        let tiers = try #require(document["tiers"] as? [String: [String: Any]])
        #expect(tiers["login"]?["ready"] as? Bool == (change != .applicationInNamespaceAlga))
        switch change {
        case .newBackgroundComponent:
            let indexer = try #require(components.first { $0["name"] as? String == "search-indexer" })
            #expect(indexer["tier"] as? String == "background" && indexer["status"] as? String == "not_installed")
            #expect(tiers["background"]?["ready"] as? Bool == false)
            #expect((document["rollup"] as? [String: Any])?["state"] as? String != "fully_healthy")
        case .pgbouncerInBackground:
            #expect(components.first { $0["name"] as? String == "pgbouncer" }?["tier"] as? String == "background")
            #expect(run.status == 0)
        case .applicationInNamespaceAlga:
            // The recorded cluster runs in msp: judged by a model that says alga, nothing is installed.
            #expect(
                components.allSatisfy { $0["status"] as? String == "not_installed" || $0["status"] as? String == "waiting_for_dependency" }, "\(components)")
        }
    }
}
