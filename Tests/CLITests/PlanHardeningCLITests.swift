import Foundation
import RegistryLab
import Testing

/// `plan` on hostile trees (issue 28): what it reads stays inside the repository, by real paths;
/// nothing is fetched; YAML is bounded by its expanded size; every bound reached is a problem.
@Suite(.enabled(if: SystemTool.available(.helm, .kubectl)))
struct PlanHardeningCLITests {
    /// A folder beside the repository with a kustomization of a Secret nobody should see.
    static func outside(_ root: URL) throws -> URL {
        let outside = root.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen-from-outside\n  namespace: alga-system\n".write(
            to: outside.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
        try "resources:\n  - secret.yaml\n".write(to: outside.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        return outside
    }

    static func edit(_ file: URL, _ change: (String) -> String) throws {
        try change(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
    }

    static func core(_ root: URL) -> URL { root.appendingPathComponent("ee/appliance/flux/base/core") }

    @Test func aValuesFileThatIsAnAliasBombStopsThePlanNamingIt() async throws {
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 { lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]") }
        let bomb = lines.joined(separator: "\n") + "\n"
        try bomb.write(
            to: root.appendingPathComponent("ee/appliance/flux/releases/1.0-rc5.1/values/pgbouncer.yaml"), atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let (run, _) = try await PlanCLITests.plan(root)
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("ConfigMap alga-system/appliance-values-pgbouncer") && run.stderr.contains("aliases expand"), "\(run.stderr)")
        #expect(ContinuousClock.now - started < .seconds(60))
        // The linter reads the same file and says so, instead of spinning.
        let values = root.appendingPathComponent("bomb")
        try FileManager.default.createDirectory(at: values, withIntermediateDirectories: true)
        try bomb.write(to: values.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        let lint = try await CLI.run(["lint-manifests", values.path, "--release", "1.0-rc5.1"])
        #expect(lint.status != 0 && (lint.stdout + lint.stderr).contains("aliases expand"), "\(lint.stdout)\(lint.stderr)")
    }

    /// A tier's folder that is a link out of the repository, and a resource that climbs out of it:
    /// neither is built, both are named, and nothing of the outside reaches the plan.
    @Test func whatLeavesTheRepositoryIsNotBuilt() async throws {
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let outside = try Self.outside(root)
        defer { try? FileManager.default.removeItem(at: outside) }
        let background = root.appendingPathComponent("ee/appliance/flux/base/background")
        try FileManager.default.removeItem(at: background)
        try FileManager.default.createSymbolicLink(at: background, withDestinationURL: outside)
        let climb = Array(repeating: "..", count: 6).joined(separator: "/") + "/\(outside.lastPathComponent)/secret.yaml"
        try Self.edit(Self.core(root).appendingPathComponent("kustomization.yaml")) { $0 + "  - \(climb)\n" }
        let (run, json) = try await PlanCLITests.plan(root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let outsideProblems = PlanCLITests.problems(json, "plan.outside-repository")
        #expect(outsideProblems.count == 2, "\(json["problems"] ?? "")")
        #expect(outsideProblems.contains { $0.contains(climb) }, "\(outsideProblems)")
        #expect(!run.stdout.contains("stolen-from-outside"), "nothing of the outside is in the plan")
    }

    /// A chart folder that is a link out of the repository is not rendered.
    @Test func aChartLinkedFromOutsideIsNotRendered() async throws {
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let chart = root.appendingPathComponent("ee/helm/pgbouncer")
        let moved = root.deletingLastPathComponent().appendingPathComponent("chart-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: chart, to: moved)
        defer { try? FileManager.default.removeItem(at: moved) }
        try FileManager.default.createSymbolicLink(at: chart, withDestinationURL: moved)
        let (run, json) = try await PlanCLITests.plan(root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(
            PlanCLITests.problems(json, "plan.chart-source").contains { $0.contains("not a chart folder") }
                || PlanCLITests.problems(json, "plan.outside-repository").contains { $0.contains("pgbouncer") }, "\(json["problems"] ?? "")")
    }

    /// The offline plan fetches nothing: a remote resource is refused before kustomize runs, and
    /// the server it names is never asked.
    @Test func aRemoteResourceIsNeverFetched() async throws {
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try await LoopbackHTTPServer { _ in
            .respond(
                status: 200, headers: [("Content-Type", "application/yaml")], body: Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fetched}\n".utf8))
        }
        try Self.edit(Self.core(root).appendingPathComponent("kustomization.yaml")) { $0 + "  - \(server.baseURL)/remote.yaml\n" }
        let (run, json) = try await PlanCLITests.plan(root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(PlanCLITests.problems(json, "plan.remote-resource").contains { $0.contains("\(server.baseURL)/remote.yaml") }, "\(json["problems"] ?? "")")
        // check --repo and mirror --repo run the same plan: an incomplete one stops them, named.
        let helm = try #require(SystemTool.helm.path)
        for command in [["check"], ["mirror", "--to", "127.0.0.1:9"]] {
            let gated = try await CLI.run(command + ["1.0-rc5.1", "--repo", root.path, "--helm", helm])
            #expect(gated.status == 2 && gated.stderr.contains("plan.remote-resource"), "\(command): \(gated.stdout)\(gated.stderr)")
        }
        await server.stop()
        #expect(server.requests.isEmpty, "asked: \(server.requests.map(\.uri))")
    }

    /// Past 64 Flux Kustomizations the plan says it stopped, and fails: what lies past a bound is
    /// never passed unjudged.
    @Test func aBoundReachedIsAProblemNotASilentEnd() async throws {
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        var objects: [String] = []
        for index in 0..<70 {
            let folder = root.appendingPathComponent("extra/k\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "resources: []\n".write(to: folder.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
            objects.append(
                "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: extra-\(index)\n  namespace: flux-system\nspec:\n  path: ./extra/k\(index)\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: alga-appliance\n"
            )
        }
        try objects.joined(separator: "---\n").write(to: Self.core(root).appendingPathComponent("extra.yaml"), atomically: true, encoding: .utf8)
        try Self.edit(Self.core(root).appendingPathComponent("kustomization.yaml")) { $0 + "  - extra.yaml\n" }
        let (run, json) = try await PlanCLITests.plan(root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let bound = PlanCLITests.problems(json, "plan.bound")
        #expect(bound.count == 1 && bound[0].contains("at most 64 Flux Kustomizations"), "\(json["problems"] ?? "")")
    }
}
