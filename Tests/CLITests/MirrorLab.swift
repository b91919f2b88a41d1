import AsyncHTTPClient
import Foundation
import RegistryLab
import ReleaseModel
import Testing

/// The source for `mirror`: registries over one store (read through token auth), seeded with
/// every image of 1.0-rc5: alga-psa-ee a multi-platform index, email-service with a multi-megabyte
/// layer, workflow-worker and temporal-worker two repositories built on one base layer.
final class MirrorLab: Sendable {
    static let user = "mirror-bot"
    static let password = "mirror-pa55-never-print-41d7"
    let source: RegistryTrio
    let http: HTTPClient

    static let shared = Task { try await MirrorLab() }

    init() async throws {
        source = try await RegistryTrio(user: "reader", password: "reader-pa55", tokenOptions: TokenServer.Options())
        http = HTTPClient(eventLoopGroupProvider: .singleton)
        let report = try ReleaseValidator.validate("1.0-rc5", releasesDirectory: packageRoot.appendingPathComponent("releases").path)
        let seeder = RegistrySeeder(baseURL: source.open.baseURL, http: http)
        let images = try #require(report.images).filter { !["emailService", "workflowWorker", "temporalWorker"].contains($0.key) }
        try await seeder.seedRelease(images, indexKeys: ["algaCore"])
        try await seeder.push(.single(platform: "linux/amd64", layerSizes: [3_000_000, 2048]), repository: "nine-minds/email-service", tag: "61e4a00e")
        for repository in ["nine-minds/workflow-worker", "nine-minds/temporal-worker"] {
            try await seeder.push(
                .single(platform: "linux/amd64", layerSizes: [200_000, 4096], baseSeed: "alga-worker-base"), repository: repository, tag: "a2cbb43")
        }
    }

    /// `--mirror` for both source registries, read through the token-auth registry.
    var sourceMirrors: [String] { ["--mirror", "ghcr.io=\(source.token.baseURL)", "--mirror", "docker.io=\(source.token.baseURL)"] }

    /// A target for one test: htpasswd for pushes, and an open registry over the same store to look.
    final class Target: Sendable {
        let push: RegistryProcess
        let look: RegistryProcess
        let directory: URL

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("mirror-target-\(UUID().uuidString)")
            let storage = directory.appendingPathComponent("storage")
            try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
            let htpasswd = directory.appendingPathComponent("htpasswd")
            try HTPasswd.make(at: htpasswd, user: MirrorLab.user, password: MirrorLab.password)
            push = try await RegistryProcess(storage: storage, auth: .htpasswd(path: htpasswd.path))
            look = try await RegistryProcess(storage: storage, auth: .none)
        }

        func stop() {
            push.stop()
            look.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// `mirror`'s target options with the push credentials (the password on standard input).
        var credentials: [String] { ["--to-username", MirrorLab.user, "--to-password-stdin"] }
    }

    /// Runs `mirror` with the target's password on standard input.
    func mirror(_ arguments: [String], to target: Target, prefix: String = "") async throws -> Run {
        try await CLI.run(
            ["mirror", "1.0-rc5", "--to", target.push.baseURL + prefix, "--format", "json"] + target.credentials + arguments,
            stdin: Data(Self.password.utf8))
    }

    /// A manifest's exact bytes as skopeo, the peer, reads them (`HOST:PORT/REPOSITORY:TAG`).
    static func raw(_ reference: String) async throws -> String {
        let run = try await Subprocess.run(SystemTool.skopeo.path ?? "skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"])
        // A failure reads as text no manifest is, so the comparison that uses it fails and says why.
        return run.status == 0 ? run.stdout : "skopeo inspect \(reference) failed: \(run.stderr)"
    }

    static func json(_ run: Run) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:] }

    static func images(_ run: Run) -> [[String: Any]] { (json(run)["images"] as? [[String: Any]]) ?? [] }

    static func totals(_ run: Run) -> [String: Int] { (json(run)["totals"] as? [String: Int]) ?? [:] }

    /// What `check --format json` says each image's digest is at `registry` (absent: not present).
    static func digests(at registry: String, prefix: String = "") async throws -> [String: String] {
        let run = try await CLI.run([
            "check", "1.0-rc5", "--format", "json", "--mirror", "ghcr.io=\(registry)\(prefix)", "--mirror", "docker.io=\(registry)\(prefix)",
        ])
        var out: [String: String] = [:]
        for image in (json(run)["images"] as? [[String: Any]]) ?? [] where image["status"] as? String == "present" {
            if let ref = image["ref"] as? String, let digest = image["digest"] as? String { out[ref] = digest }
        }
        return out
    }
}
