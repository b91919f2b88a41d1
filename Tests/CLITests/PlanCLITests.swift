import Foundation
import Testing

/// `alga-release plan` on a fixture repository (Tests/Fixtures/plan/repo: test charts of this
/// project's own at ./helm and ./ee/helm/*, reproducing the upstream structures) with the tree
/// rendered into it at ./ee/appliance/flux: real kustomize, the real Helm engine.
@Suite(.enabled(if: SystemTool.available(.helm, .kubectl)))
struct PlanCLITests {
    /// A scratch copy of the fixture repository with the committed templates rendered at `fluxPath`
    /// (the Kustomizations' paths say `pathsFor`).
    static func repository(fluxPath: String = "./ee/appliance/flux", pathsFor: String? = nil) async throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("plan-repo-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Tests/Fixtures/plan/repo"), to: root)
        let out = root.appendingPathComponent(fluxPath).standardizedFileURL.path
        let render = try await CLI.run(["render", "1.0-rc5.1", "--out", out, "--flux-path", pathsFor ?? fluxPath])
        #expect(render.status == 0, "\(render.stderr)")
        return root
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

    /// The committed tree as it stands: the chart's literal busybox is pulled and undeclared, the
    /// model's busybox:1.36 reaches nothing, its volume-prep value paths are dead, and the values
    /// ConfigMaps the HelmReleases need are made by nobody (issue 14's findings, reproduced).
    @Test func theCommittedTreeShowsWhatTheGateMisses() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(json["entry"] as? String == "./ee/appliance/flux/base")
        let busybox = try #require(Self.image(json, "docker.io/library/busybox:latest"), "\(run.stdout.prefix(3000))")
        #expect(busybox["declared"] as? Bool == false)
        let site = try #require((busybox["pulledBy"] as? [[String: Any]])?.first)
        #expect(site["kind"] as? String == "StatefulSet" && site["name"] as? String == "db" && site["container"] as? String == "volume-prep")
        #expect(site["init"] as? Bool == true && site["source"] as? String == "helmrelease alga-system/alga-core")
        #expect(Self.problems(json, "plan.undeclared-image").contains { $0.hasPrefix("docker.io/library/busybox:latest is pulled by StatefulSet msp/db") })
        #expect(Self.problems(json, "plan.unpulled-image").contains { $0.contains("docker.io/library/busybox:1.36 (busybox)") })
        let dead = Self.problems(json, "plan.dead-value")
        #expect(dead.count == 2 && dead.allSatisfy { $0.contains("db.volumePrep.image.") }, "\(dead)")
        let missing = Self.problems(json, "plan.missing-reference")
        #expect(missing.contains { $0.contains("ConfigMap alga-system/appliance-values-alga-core (key alga-core.talos-single-node.yaml)") }, "\(missing)")
        #expect(missing.count == 6, "\(missing)")
        // A value the chart reads is no dead value, and a declared image is declared.
        #expect(!dead.contains { $0.contains("db.image.tag") || $0.contains("server.image.tag") })
        #expect(Self.image(json, "ghcr.io/nine-minds/alga-psa-ee:a2cbb430")?["declared"] as? Bool == true)
        #expect(Self.problems(json, "plan.kustomization-path").isEmpty)
    }

    /// Values from a ConfigMap of the entry reach the chart: with the profile's switches the
    /// sidecar and the hook are gone, and nothing referred to is missing.
    @Test func valuesFromTheEntryReachTheCharts() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let entry = root.appendingPathComponent("ee/appliance/flux/releases/1.0-rc5.1")
        try FileManager.default.createDirectory(at: entry.appendingPathComponent("values"), withIntermediateDirectories: true)
        var generator = ""
        for name in ["alga-core", "pgbouncer", "temporal", "workflow-worker", "temporal-worker", "email-service"] {
            let values = name == "alga-core" ? "hocuspocus:\n  enabled: false\npersistence:\n  keepPvcOnUninstall: true\n" : "{}\n"
            try values.write(to: entry.appendingPathComponent("values/\(name).yaml"), atomically: true, encoding: .utf8)
            generator +=
                "  - name: appliance-values-\(name)\n    namespace: alga-system\n    files:\n      - \(name).talos-single-node.yaml=values/\(name).yaml\n"
        }
        try """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        generatorOptions:
          disableNameSuffixHash: true
        configMapGenerator:
        \(generator)
        """.write(to: entry.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        let (run, json) = try await Self.plan(root)
        #expect(json["entry"] as? String == "./ee/appliance/flux/releases/1.0-rc5.1", "\(run.stderr)")
        #expect(Self.problems(json, "plan.missing-reference").isEmpty, "\(Self.problems(json, "plan.missing-reference"))")
        #expect(Self.image(json, "docker.io/library/redis:latest") == nil, "the sidecar is off in the values")
        #expect(Self.image(json, "docker.io/bitnami/kubectl:latest") == nil, "the hook is off in the values")
        let references = (json["references"] as? [[String: Any]]) ?? []
        #expect(references.contains { $0["name"] as? String == "appliance-values-alga-core" && $0["providedBy"] as? String == "tree" })
        #expect(references.contains { $0["name"] as? String == "alga-psa-shared" && $0["providedBy"] as? String == "bootstrap" })
        #expect(references.contains { $0["kind"] as? String == "StorageClass" && $0["providedBy"] as? String == "bootstrap" })
    }

    /// A postRenderers image pin changes what the plan shows, without touching the chart.
    @Test func aPostRendererPinReachesThePulledImage() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("ee/appliance/flux/base/core/alga-core.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        let pin = """
              postRenderers:
                - kustomize:
                    images:
                      - name: busybox
                        newName: docker.io/library/busybox
                        newTag: "1.36"

            """
        text = text.replacingOccurrences(of: "  values:\n", with: pin + "  values:\n")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1)
        #expect(Self.image(json, "docker.io/library/busybox:latest") == nil, "\(run.stdout.prefix(2000))")
        let pinned = try #require(Self.image(json, "docker.io/library/busybox:1.36"))
        #expect(pinned["declared"] as? Bool == true)
        #expect(Self.problems(json, "plan.unpulled-image").allSatisfy { !$0.contains("busybox") })
    }

    /// Tier paths written for another layout do not exist where Flux looks.
    @Test func aWrongKustomizationPathIsAProblem() async throws {
        let root = try await Self.repository(pathsFor: "./flux")
        defer { try? FileManager.default.removeItem(at: root) }
        let (run, json) = try await Self.plan(root)
        #expect(run.status == 1)
        let paths = Self.problems(json, "plan.kustomization-path")
        #expect(paths.count == 3 && paths.contains { $0.hasPrefix("its path ./flux/base/core does not exist") }, "\(paths)")
    }

    @Test func withoutHelmItExitsTwoNamingTheOption() async throws {
        let root = try await Self.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await CLI.run(["plan", "1.0-rc5.1", "--repo", root.path, "--helm", "/no/such/helm"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--helm"), "\(run.stderr)")
        let noRepo = try await CLI.run(["plan", "1.0-rc5.1", "--repo", "/no/such/repo"])
        #expect(noRepo.status == 2 && noRepo.stderr.contains("/no/such/repo"), "\(noRepo.stderr)")
    }
}
