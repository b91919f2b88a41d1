import Foundation
import Testing

/// `alga-release plan` on a fixture repository (Tests/Fixtures/plan/repo: test charts of this
/// project's own at ./helm and ./ee/helm/*, reproducing the upstream structures) with the tree
/// rendered into it at ./ee/appliance/flux: real kustomize, the real Helm engine.
@Suite(.enabled(if: SystemTool.available(.helm, .kubectl)))
struct PlanCLITests {
    /// A scratch copy of the fixture repository with the committed templates rendered at `fluxPath`
    /// for both releases (the Kustomizations' paths say `pathsFor`).
    static func repository(fluxPath: String = "./ee/appliance/flux", pathsFor: String? = nil) async throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plan-repo-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/Fixtures/plan/repo"), to: root)
        let out = root.appendingPathComponent(fluxPath).standardizedFileURL.path
        let render = try await CLI.run(["render", "1.0-rc5", "1.0-rc5.1", "--out", out, "--flux-path", pathsFor ?? fluxPath])
        #expect(render.status == 0, "\(render.stderr)")
        return root
    }

    /// The rendered tree changed as the later upstream has it (9b9ae5db8a): alga-core's chart comes
    /// from the OCI HelmRepository `alga-charts` (`oci://ghcr.io/nine-minds/charts`, sebastian 0.0.1).
    static func useOCIChart(_ root: URL) throws {
        let core = root.appendingPathComponent("ee/appliance/flux/base/core")
        try """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: HelmRepository
        metadata:
          name: alga-charts
          namespace: flux-system
        spec:
          type: oci
          url: oci://ghcr.io/nine-minds/charts
          interval: 10m

        """.write(to: core.appendingPathComponent("charts.yaml"), atomically: true, encoding: .utf8)
        let kustomization = core.appendingPathComponent("kustomization.yaml")
        try String(contentsOf: kustomization, encoding: .utf8).replacingOccurrences(of: "  - alga-core.yaml\n", with: "  - alga-core.yaml\n  - charts.yaml\n")
            .write(to: kustomization, atomically: true, encoding: .utf8)
        let release = core.appendingPathComponent("alga-core.yaml")
        let text = try String(contentsOf: release, encoding: .utf8)
        let git =
            "      chart: ./helm\n      interval: 10m\n      reconcileStrategy: Revision\n      sourceRef:\n        kind: GitRepository\n        name: alga-appliance\n"
        #expect(text.contains(git))
        try text.replacingOccurrences(
            of: git,
            with:
                "      chart: sebastian\n      version: 0.0.1\n      interval: 10m\n      sourceRef:\n        kind: HelmRepository\n        name: alga-charts\n"
        ).write(to: release, atomically: true, encoding: .utf8)
    }

    static func plan(_ root: URL, _ extra: [String] = []) async throws -> (Run, [String: Any]) {
        let run = try await CLI.run(
            ["plan", "1.0-rc5.1", "--repo", root.path, "--format", "json", "--helm", try #require(SystemTool.helm.path)] + extra)
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run, json)
    }

    static func problems(_ json: [String: Any], _ rule: String) -> [String] {
        ((json["problems"] as? [[String: Any]]) ?? []).filter { $0["rule"] as? String == rule }.compactMap { $0["message"] as? String }
    }

    static func image(_ json: [String: Any], _ ref: String) -> [String: Any]? {
        ((json["images"] as? [[String: Any]]) ?? []).first { $0["ref"] as? String == ref }
    }

    /// Every release's entry installs: every image pulled is declared (the chart's literal busybox
    /// pinned by the post-renderer), every reference is provided, the profile's values reach the charts.
    @Test(arguments: ["1.0-rc5", "1.0-rc5.1"])
    func everyReleaseEntryInstalls(release: String) async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let objects = root.appendingPathComponent("objects")
        let run = try await CLI.run([
            "plan", release, "--repo", root.path, "--format", "json", "--helm", try #require(SystemTool.helm.path), "--objects", objects.path,
        ])
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(run.status == 0, "\(json["problems"] ?? run.stderr)")
        // Every object is written for the validators (scripts/test runs kubernetes-validate on them).
        let written = try FileManager.default.contentsOfDirectory(atPath: objects.path)
        #expect(written.count == (json["objects"] as? [Any])?.count && written.contains("000-Namespace-alga-system.yaml"), "\(written)")
        #expect(json["entry"] as? String == "./ee/appliance/flux/releases/\(release)")
        #expect((json["problems"] as? [Any])?.isEmpty == true)
        let busybox = try #require(Self.image(json, "docker.io/library/busybox:1.36"), "\(run.stdout.prefix(2000))")
        #expect(busybox["declared"] as? Bool == true)
        let site = try #require((busybox["pulledBy"] as? [[String: Any]])?.first)
        #expect(site["kind"] as? String == "StatefulSet" && site["name"] as? String == "db" && site["container"] as? String == "volume-prep")
        #expect(site["init"] as? Bool == true && site["source"] as? String == "helmrelease alga-system/alga-core")
        // The profile switches the sidecar and the hook off; they are not pulled.
        #expect(Self.image(json, "docker.io/library/redis:latest") == nil && Self.image(json, "docker.io/bitnami/kubectl:latest") == nil)
        let references = (json["references"] as? [[String: Any]]) ?? []
        #expect(references.allSatisfy { $0["providedBy"] as? String != "missing" }, "\(references)")
        #expect(references.contains { $0["name"] as? String == "appliance-values-alga-core" && $0["providedBy"] as? String == "tree" })
        #expect(
            references.contains {
                $0["name"] as? String == "appliance-site-values" && $0["providedBy"] as? String == "bootstrap" && $0["optional"] as? Bool == true
            })
        #expect(references.contains { $0["name"] as? String == "alga-psa-shared" && $0["providedBy"] as? String == "bootstrap" })
        #expect(references.contains { $0["kind"] as? String == "StorageClass" && $0["providedBy"] as? String == "bootstrap" })
    }

    /// Without the post-renderer's pin the tree is what the gate missed (issue 14): the chart's literal
    /// busybox is pulled, undeclared and mutable, and the model's busybox:1.36 reaches nothing.
    @Test func withoutThePinTheLiteralImageIsWhatTheGateMisses() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("ee/appliance/flux/base/core/alga-core.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let unpinned = try #require(text.components(separatedBy: "  postRenderers:").first)
        try unpinned.write(to: file, atomically: true, encoding: .utf8)
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1, "\(run.stderr)")
        let busybox = try #require(Self.image(json, "docker.io/library/busybox:latest"), "\(run.stdout.prefix(2000))")
        #expect(busybox["declared"] as? Bool == false)
        #expect(Self.problems(json, "plan.undeclared-image").contains { $0.hasPrefix("docker.io/library/busybox:latest is pulled by StatefulSet msp/db") })
        #expect(Self.problems(json, "plan.mutable-image").contains { $0.hasPrefix("docker.io/library/busybox:latest") })
        #expect(Self.problems(json, "plan.unpulled-image").contains { $0.contains("docker.io/library/busybox:1.36 (busybox)") })
    }

    /// A model that sets the image at a value path no template reads (the old db.volumePrep.image):
    /// rendering again with the value changed gives the same output, so the value is dead.
    @Test func aValuePathNoTemplateReadsIsDead() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let model = try modelText { model in
            let images = model["images"] as? [[String: Any]] ?? []
            guard let index = images.firstIndex(where: { $0["key"] as? String == "busybox" }) else { return }
            edit(&model, "images", index) { image in
                image["usedBy"] = [
                    ["component": "db", "values": [["repository": "db.volumePrep.image.repository", "tag": "db.volumePrep.image.tag"]]],
                    ["component": "local-path-provisioner"],
                ]
            }
        }
        try scratch.write("appliance.json", Data(model.utf8))
        try scratch.write(
            "1.0-rc5.1/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5.1/release.json")))
        let (run, json) = try await Self.plan(root, ["--releases-dir", scratch.root.path])
        #expect(run.status == 1, "\(run.stderr)")
        let dead = Self.problems(json, "plan.dead-value")
        #expect(dead.count == 2 && dead.allSatisfy { $0.contains("db.volumePrep.image.") }, "\(dead)")
        #expect(!dead.contains { $0.contains("db.image.tag") || $0.contains("server.image.tag") }, "a value the chart reads is no dead value")
    }

    /// A values ConfigMap the entry does not make stops the HelmRelease that needs it.
    @Test func aMissingValuesConfigMapIsAMissingReference() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("ee/appliance/flux/releases/1.0-rc5.1/kustomization.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let generator =
            "  - name: appliance-values-pgbouncer\n    namespace: alga-system\n    files:\n      - pgbouncer.talos-single-node.yaml=values/pgbouncer.yaml\n"
        #expect(text.contains(generator))
        try text.replacingOccurrences(of: generator, with: "").write(to: file, atomically: true, encoding: .utf8)
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1)
        let missing = Self.problems(json, "plan.missing-reference")
        #expect(
            missing == [
                "HelmRelease alga-system/pgbouncer needs ConfigMap alga-system/appliance-values-pgbouncer (key pgbouncer.talos-single-node.yaml), which neither the tree, a chart nor the bootstrap provides"
            ], "\(missing)")
    }

    /// A channel pointing at another release gets that release's entry and tags.
    @Test func aChannelGetsItsReleasesTags() async throws {
        let scratch = try ScratchReleases()
        defer { scratch.remove() }
        let rc51 = try String(contentsOf: URL(fileURLWithPath: releasesDirectory).appendingPathComponent("1.0-rc5.1/release.json"), encoding: .utf8)
        try scratch.write("1.0-rc5.1/release.json", Data(rc51.utf8))
        try scratch.write(
            "1.0-rc6/release.json",
            Data(
                rc51.replacingOccurrences(of: "1.0-rc5.1", with: "1.0-rc6").replacingOccurrences(
                    of: "\"algaCore\": \"a2cbb430\"", with: "\"algaCore\": \"feedbeef\""
                ).utf8))
        for (channel, version) in [("stable", "1.0-rc5.1"), ("nightly", "1.0-rc6")] {
            try scratch.write(
                "channels/\(channel).json",
                Data(#"{"channel": "\#(channel)", "releaseVersion": "\#(version)", "repoBranch": "main", "updatedAt": "2026-05-01T00:00:00Z"}"#.utf8))
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plan-repo-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/Fixtures/plan/repo"), to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let render = try await CLI.run([
            "render", "channel:stable", "channel:nightly", "--out", root.appendingPathComponent("ee/appliance/flux").path, "--releases-dir", scratch.root.path,
        ])
        #expect(render.status == 0, "\(render.stdout)\(render.stderr)")
        let nightly = try await CLI.run([
            "plan", "channel:nightly", "--repo", root.path, "--format", "json", "--helm", try #require(SystemTool.helm.path), "--releases-dir",
            scratch.root.path,
        ])
        let plan = (try? JSONSerialization.jsonObject(with: Data(nightly.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(nightly.status == 0, "\(plan["problems"] ?? nightly.stderr)")
        #expect(plan["entry"] as? String == "./ee/appliance/flux/releases/1.0-rc6")
        #expect(Self.image(plan, "ghcr.io/nine-minds/alga-psa-ee:feedbeef") != nil)
        #expect(Self.image(plan, "ghcr.io/nine-minds/alga-psa-ee:a2cbb430") == nil)
    }

    /// A chart from an OCI HelmRepository is listed as an artifact the appliance pulls; the plan
    /// cannot render it offline and says so, and does not call its images unpulled.
    @Test func anOCIChartIsAnArtifactThePlanLists() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.useOCIChart(root)
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 0, "\(json["problems"] ?? run.stderr)")
        let charts = (json["charts"] as? [[String: Any]]) ?? []
        #expect(charts.count == 1 && charts.first?["ref"] as? String == "ghcr.io/nine-minds/charts/sebastian:0.0.1", "\(charts)")
        #expect(charts.first?["helmRelease"] as? String == "HelmRelease alga-system/alga-core")
        #expect(Self.problems(json, "plan.chart-source").contains { $0.contains("comes from a HelmRepository") })
        #expect(Self.problems(json, "plan.unpulled-image").isEmpty)
        let references = (json["references"] as? [[String: Any]]) ?? []
        #expect(references.contains { $0["kind"] as? String == "HelmRepository" && $0["providedBy"] as? String == "tree" })
    }

    /// A HelmRelease's source is the object of its kind, name and namespace, not the first of its kind.
    @Test func theChartSourceIsTheNamedRepository() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.useOCIChart(root)
        let charts = root.appendingPathComponent("ee/appliance/flux/base/core/charts.yaml")
        let text = try String(contentsOf: charts, encoding: .utf8)
        try
            ("apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: aaa-elsewhere\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://registry.example/elsewhere\n  interval: 10m\n---\n"
            + text).write(to: charts, atomically: true, encoding: .utf8)
        let (run, json) = try await Self.plan(root)
        let refs = ((json["charts"] as? [[String: Any]]) ?? []).compactMap { $0["ref"] as? String }
        #expect(refs == ["ghcr.io/nine-minds/charts/sebastian:0.0.1"], "\(run.stdout)\(run.stderr)")
    }

    /// Tier paths written for another layout do not exist where Flux looks.
    @Test func aWrongKustomizationPathIsAProblem() async throws {
        let root = try await Self.repository(pathsFor: "./flux")
        defer { try? FileManager.default.removeItem(at: root) }
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1)
        let paths = Self.problems(json, "plan.kustomization-path")
        #expect(paths.count == 3 && paths.contains { $0.hasPrefix("its path ./flux/base/core does not exist") }, "\(paths)")
        // A path that leaves the repository is never built.
        let outside = try await Self.repository(pathsFor: "../../..")
        defer { try? FileManager.default.removeItem(at: outside) }
        let (escaped, escapedJSON) = try await Self.plan(outside)
        #expect(escaped.status == 1)
        #expect(Self.problems(escapedJSON, "plan.kustomization-path").contains { $0.hasPrefix("its path ../../../base/core does not exist in the repository") })
    }

    @Test func withoutHelmItExitsTwoNamingTheOption() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await CLI.run(["plan", "1.0-rc5.1", "--repo", root.path, "--helm", "/no/such/helm"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--helm"), "\(run.stderr)")
        let noRepo = try await CLI.run(["plan", "1.0-rc5.1", "--repo", "/no/such/repo"])
        #expect(noRepo.status == 2 && noRepo.stderr.contains("/no/such/repo"), "\(noRepo.stderr)")
        // The whole plan ends by --plan-timeout, every tool run included.
        let late = try await CLI.run(["plan", "1.0-rc5.1", "--repo", root.path, "--helm", try #require(SystemTool.helm.path), "--plan-timeout", "0.001"])
        #expect(late.status == 2 && late.stderr.contains("did not finish within"), "\(late.stderr)")
    }
}
