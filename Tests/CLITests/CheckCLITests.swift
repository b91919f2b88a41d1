import AsyncHTTPClient
import Foundation
import RegistryLab
import ReleaseModel
import Testing

/// Registries seeded with every image of 1.0-rc5 except workflow-worker, as in the incident.
final class ReleaseLab: Sendable {
    static let user = "release-bot"
    static let password = "pa55-Wd-never-print-8c1e"
    let trio: RegistryTrio
    let http: HTTPClient

    static let shared = Task { try await ReleaseLab() }

    init() async throws {
        trio = try await RegistryTrio(user: Self.user, password: Self.password, tokenOptions: TokenServer.Options())
        http = HTTPClient(eventLoopGroupProvider: .singleton)
        let report = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: packageRoot.appendingPathComponent("releases").path)
        let images = try #require(report.images)
        let seeder = RegistrySeeder(baseURL: trio.open.baseURL, http: http)
        try await seeder.seedRelease(images, skipping: ["workflowWorker"], indexKeys: ["algaCore"])
        // The pipeline published the 8-character tag; the release names the 7-character one.
        try await seeder.push(.single(platform: "linux/amd64"), repository: "nine-minds/workflow-worker", tag: "a2cbb430")
    }

    func mirrors(_ registry: RegistryProcess) -> [String] {
        ["--mirror", "ghcr.io=\(registry.baseURL)", "--mirror", "docker.io=\(registry.baseURL)"]
    }
}

@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl), "needs docker-registry, apache2-utils and openssl (scripts/test installs them)"))
struct CheckCLITests {
    @Test func gateFailsOnTheIncidentAndNamesWorkflowWorker() async throws {
        let lab = try await ReleaseLab.shared.value
        let run = try await CLI.run(["check", "1.0-rc5", "--policy", "gate"] + lab.mirrors(lab.trio.open))
        #expect(run.status == 1, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("FAIL ghcr.io/nine-minds/workflow-worker:a2cbb43 [missing_tag]"))
        #expect(run.stdout.contains("next: publish ghcr.io/nine-minds/workflow-worker:a2cbb43 or fix app.images.workflowWorker in the release manifest"))
        #expect(run.stdout.contains("verdict: fail (1 missing_tag, 11 present)"))
        #expect(run.stdout.contains("similar tags that exist: a2cbb430"))
        let ee = run.stdout.split(separator: "\n").first { $0.contains("alga-psa-ee") }
        #expect(ee?.hasPrefix("present") == true && ee?.contains("yes") == true)
    }

    @Test func preflightWarnsAndPasses() async throws {
        let lab = try await ReleaseLab.shared.value
        let run = try await CLI.run(["check", "channel:stable", "--policy", "preflight"] + lab.mirrors(lab.trio.open))
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("WARN ghcr.io/nine-minds/workflow-worker:a2cbb43 [missing_tag]"))
        #expect(run.stdout.contains("verdict: warn"))
    }

    @Test func machineFormats() async throws {
        let lab = try await ReleaseLab.shared.value
        let json = try await CLI.run(["check", "1.0-rc5", "--format", "json"] + lab.mirrors(lab.trio.open))
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "fail")
        let images = try #require(object["images"] as? [[String: Any]])
        let ee = try #require(images.first { $0["key"] as? String == "algaCore" })
        #expect(ee["loginBlocking"] as? Bool == true)
        #expect(ee["platforms"] as? [String] == ["linux/amd64", "linux/arm64"])
        #expect((ee["compressedSize"] as? Int ?? 0) > 5000)
        #expect((ee["digest"] as? String)?.hasPrefix("sha256:") == true)

        let github = try await CLI.run(["check", "1.0-rc5", "--format", "github"] + lab.mirrors(lab.trio.open))
        #expect(github.status == 1)
        #expect(
            github.stdout.contains("::error file=releases/1.0-rc5/release.json,line=31,title=missing_tag%3A ghcr.io/nine-minds/workflow-worker%3Aa2cbb43::"))

        let junit = try await CLI.run(["check", "1.0-rc5", "--format", "junit", "--policy", "preflight"] + lab.mirrors(lab.trio.open))
        #expect(junit.status == 0)
        #expect(junit.stdout.contains("<testsuite name=\"alga-release check 1.0-rc5 (preflight)\" tests=\"12\" failures=\"0\" errors=\"0\""))
    }

    @Test func unreachableRegistryIsIndeterminateUnderGate() async throws {
        let closed = try ClosedPort()
        let port = closed.port
        defer { _ = closed }
        let run = try await CLI.run([
            "check", "1.0-rc5", "--attempts", "1", "--mirror", "ghcr.io=http://127.0.0.1:\(port)", "--mirror", "docker.io=http://127.0.0.1:\(port)",
        ])
        #expect(run.status == 3, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("UNKNOWN"))
        #expect(!run.stdout.contains("missing"))
        // No connection at all: pre-flight can tell the bootstrap nothing, and says so in one line (#11).
        let preflight = try await CLI.run([
            "check", "1.0-rc5", "--policy", "preflight", "--attempts", "1", "--mirror", "ghcr.io=http://127.0.0.1:\(port)", "--mirror",
            "docker.io=http://127.0.0.1:\(port)",
        ])
        #expect(preflight.status == 3, "\(preflight.stderr)")
        #expect(preflight.stdout.contains("the check could not be made"))
        let loud = preflight.stderr.split(separator: "\n").filter { $0.contains("pre-flight cannot reach") }
        #expect(loud.count == 1 && loud[0].contains("127.0.0.1:\(port)") && loud[0].contains("Connection refused"), "\(preflight.stderr)")
    }

    /// A registry that answers, but only with errors, is a warning under pre-flight: the network works.
    @Test func aRegistryThatAnswersBadlyOnlyWarnsPreflight() async throws {
        let server = try await LoopbackHTTPServer { _ in .respond(status: 503) }
        let run = try await CLI.run([
            "check", "1.0-rc5", "--policy", "preflight", "--attempts", "1", "--mirror", "ghcr.io=\(server.baseURL)", "--mirror", "docker.io=\(server.baseURL)",
        ])
        await server.stop()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("pre-flight cannot reach"))
    }

    @Test(arguments: ["ghcr.io=http://10.1.2.3:5000", "ghcr.io=http://192.168.64.8:8080", "ghcr.io"])
    func nonLoopbackPlainHTTPMirrorIsAUsageError(mirror: String) async throws {
        let run = try await CLI.run(["check", "1.0-rc5", "--mirror", mirror])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--mirror"))
    }

    /// The password (Basic) and the registry token (Bearer) appear in no output, format, or lock.
    @Test func noSecretInAnyOutput() async throws {
        let lab = try await ReleaseLab.shared.value
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var outputs: [String] = []
        for registry in [lab.trio.basic, lab.trio.token] {
            for format in ["text", "json", "github", "junit"] {
                let lock = scratch.appendingPathComponent("lock-\(registry.port)-\(format).json")
                let run = try await CLI.run(
                    ["check", "1.0-rc5", "--format", format, "--username", ReleaseLab.user, "--password-stdin", "--write-lock", lock.path]
                        + lab.mirrors(registry),
                    stdin: Data((ReleaseLab.password + "\n").utf8), environment: ["GITHUB_TOKEN": "ghp_neverPrintThisToken123"])
                #expect(run.status == 1, "\(registry.baseURL) \(format): \(run.stdout)\n\(run.stderr)")
                outputs += [run.stdout, run.stderr, (try? String(contentsOf: lock, encoding: .utf8)) ?? ""]
            }
        }
        let tokens = lab.trio.tokenServer.issuedTokens
        #expect(!tokens.isEmpty)
        for output in outputs {
            #expect(!output.contains(ReleaseLab.password))
            #expect(!output.contains("ghp_neverPrintThisToken123"))
            for token in tokens { #expect(!output.contains(token)) }
            let basic = Data("\(ReleaseLab.user):\(ReleaseLab.password)".utf8).base64EncodedString()
            #expect(!output.contains(basic))
        }
        #expect(outputs.contains { $0.contains("bearer (token from --password-stdin)") })
        #expect(outputs.contains { $0.contains("basic (--password-stdin)") })
    }

    @Test func anonymousAgainstBasicAuthIsDenied() async throws {
        let lab = try await ReleaseLab.shared.value
        let run = try await CLI.run(["check", "--ref", "ghcr.io/nine-minds/alga-psa-ee:a2cbb430", "--anonymous"] + lab.mirrors(lab.trio.basic))
        #expect(run.status == 1)
        #expect(run.stdout.contains("[denied]"))
        // A reference given with --ref has no tier (#12): none is invented, the text says so, and
        // pre-flight takes it as one the install needs.
        #expect(run.stdout.contains("denied  unknown  unknown "), "\(run.stdout)")
        let json = try await CLI.run(
            ["check", "--ref", "ghcr.io/nine-minds/alga-psa-ee:a2cbb430", "--anonymous", "--policy", "preflight", "--format", "json"]
                + lab.mirrors(lab.trio.basic))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stderr)")
        let image = try #require((document["images"] as? [[String: Any]])?.first)
        #expect(image["tier"] == nil && image["loginBlocking"] == nil && image["source"] as? String == "--ref")
        #expect(image["verdict"] as? String == "fail" && json.status == 1)
    }

    @Test func lockIsWrittenAndAMovedTagFailsVerification() async throws {
        let lab = try await ReleaseLab.shared.value
        let seeder = RegistrySeeder(baseURL: lab.trio.open.baseURL, http: lab.http)
        try await seeder.push(.single(platform: "linux/amd64"), repository: "nine-minds/moving", tag: "v1")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let refs = scratch.appendingPathComponent("refs.txt")
        try Data("# references\nghcr.io/nine-minds/moving:v1\nghcr.io/nine-minds/email-service:61e4a00e  # background\n".utf8).write(to: refs)
        let lock = scratch.appendingPathComponent("registry.lock.json")
        let write = try await CLI.run(["check", "--refs-from", refs.path, "--write-lock", lock.path] + lab.mirrors(lab.trio.open))
        #expect(write.status == 0, "\(write.stdout)\n\(write.stderr)")
        let locked = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: lock)) as? [String: Any])
        let entries = try #require(locked["images"] as? [[String: Any]])
        #expect(entries.map { $0["ref"] as? String } == ["ghcr.io/nine-minds/email-service:61e4a00e", "ghcr.io/nine-minds/moving:v1"])
        let before = try #require(entries.last?["digest"] as? String)

        #expect(try await CLI.run(["check", "--refs-from", refs.path, "--verify-lock", lock.path] + lab.mirrors(lab.trio.open)).status == 0)
        // Someone pushes different content under the same tag.
        let after = try await seeder.push(.single(platform: "linux/amd64", layerSizes: [999]), repository: "nine-minds/moving", tag: "v1")
        let verify = try await CLI.run(["check", "--refs-from", refs.path, "--verify-lock", lock.path] + lab.mirrors(lab.trio.open))
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("FAIL ghcr.io/nine-minds/moving:v1 [moved_tag]: the lock has \(before), the registry now has \(after)"))
        // The bootstrap's pre-flight too: a moved tag fails whatever the policy.
        let preflight = try await CLI.run(
            ["check", "--refs-from", refs.path, "--verify-lock", lock.path, "--policy", "preflight"] + lab.mirrors(lab.trio.open))
        #expect(preflight.status == 1, "\(preflight.stdout)")
        #expect(preflight.stdout.contains("[moved_tag]") && preflight.stdout.contains("verdict: fail"), "\(preflight.stdout)")
    }

    static let badInputs: [([String], Int32)] = [
        (["check"], 64), (["check", "1.0-rc5", "--ref", "a/b:1"], 64), (["check", "--ref", "ghcr.io/Nine-Minds/x:1"], 2),
        (["check", "--refs-from", "/nonexistent/refs.txt"], 2), (["check", "9.9"], 2), (["check", "1.0-rc5", "--verify-lock", "/nonexistent.lock"], 2),
        (["check", "1.0-rc5", "--platform", "amd64"], 64),
    ]

    @Test(arguments: badInputs)
    func badInput(arguments: [String], status: Int32) async throws {
        let run = try await CLI.run(arguments)
        #expect(run.status == status, "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }

    /// `check --repo`: the gate checks what the install plan finds pulled. The tree as rendered
    /// pulls nothing undeclared; with the post-renderer's pin gone the chart's literal busybox is
    /// checked too, named undeclared, and fails the gate although the registry has it.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl)))
    func theGateChecksWhatThePlanFindsPulled() async throws {
        let lab = try await ReleaseLab.shared.value
        let seeder = RegistrySeeder(baseURL: lab.trio.open.baseURL, http: lab.http)
        try await seeder.push(.single(platform: "linux/amd64"), repository: "library/busybox", tag: "latest")
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let helm = try #require(SystemTool.helm.path)
        let base = ["check", "1.0-rc5", "--format", "json", "--repo", root.path, "--helm", helm] + lab.mirrors(lab.trio.open)
        let clean = try await CLI.run(base)
        let cleanJSON = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any], "\(clean.stderr)")
        let cleanImages = (cleanJSON["images"] as? [[String: Any]]) ?? []
        #expect(!cleanImages.contains { $0["source"] as? String == "undeclared" }, "\(cleanImages)")

        let file = root.appendingPathComponent("ee/appliance/flux/base/core/alga-core.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.components(separatedBy: "  postRenderers:").first).write(to: file, atomically: true, encoding: .utf8)
        let run = try await CLI.run(base)
        #expect(run.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let images = (json["images"] as? [[String: Any]]) ?? []
        #expect(images.count == cleanImages.count + 1)
        let busybox = try #require(images.first { $0["ref"] as? String == "docker.io/library/busybox:latest" }, "\(images)")
        #expect(busybox["source"] as? String == "undeclared")
        #expect(busybox["status"] as? String == "present")
        #expect(busybox["verdict"] as? String == "fail")
        #expect((busybox["nextAction"] as? String)?.hasPrefix("declare docker.io/library/busybox:latest in releases/appliance.json") == true)
        #expect(busybox["tier"] == nil, "an undeclared image has no tier")
    }

    /// With the chart from an OCI HelmRepository, the gate checks the chart artifact too.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl)))
    func theGateChecksTheChartArtifact() async throws {
        let lab = try await ReleaseLab.shared.value
        let seeder = RegistrySeeder(baseURL: lab.trio.open.baseURL, http: lab.http)
        try await seeder.push(.helmChart(name: "sebastian", version: "0.0.1"), repository: "nine-minds/charts/sebastian", tag: "0.0.1")
        let root = try await PlanCLITests.repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try PlanCLITests.useOCIChart(root)
        let run = try await CLI.run(
            ["check", "1.0-rc5", "--format", "json", "--repo", root.path, "--helm", try #require(SystemTool.helm.path)] + lab.mirrors(lab.trio.open))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
        let chart = try #require(((json["images"] as? [[String: Any]]) ?? []).first { $0["ref"] as? String == "ghcr.io/nine-minds/charts/sebastian:0.0.1" })
        #expect(chart["source"] as? String == "chart")
        #expect(chart["status"] as? String == "present", "\(chart)")
        #expect(chart["verdict"] as? String == "pass")
    }

    /// The gate's own JSON report of the incident release promotes nothing: its verdict is fail.
    @Test func aFailingGateReportPromotesNothing() async throws {
        let lab = try await ReleaseLab.shared.value
        let check = try await CLI.run(["check", "1.0-rc5", "--policy", "gate", "--format", "json"] + lab.mirrors(lab.trio.open))
        #expect(check.status == 1)
        let scratch = try PromoteCLITests.releases()
        defer { scratch.remove() }
        let report = try scratch.write("gate.json", Data(check.stdout.utf8))
        let promote = try await CLI.run(["promote", "stable", "1.0-rc5", "--report", report, "--allow-downgrade", "--releases-dir", scratch.root.path])
        #expect(promote.status == 2 && promote.stderr.contains("says verdict fail"), "\(promote.stderr)")
    }
}
