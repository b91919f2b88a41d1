import Foundation
import RegistryLab
import Testing

/// The hardening issue's (#10) command-line cases against the real binary.
@Suite struct HostileInputCLITests {
    // #10.11: values that could not become a deadline are usage errors, never a trap.
    @Test(arguments: ["inf", "nan", "1e16", "-1", "0", "86401"])
    func outOfRangeTimeoutsAreUsageErrors(value: String) async throws {
        for arguments in [
            ["check", "--ref", "ghcr.io/a/b:1", "--timeout=\(value)"], ["check", "--ref", "ghcr.io/a/b:1", "--request-timeout=\(value)"],
            ["status", "--snapshot", k8sFixtures.appendingPathComponent("healthy-full").path, "--timeout=\(value)"],
        ] {
            let run = try await CLI.run(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("at most 86400"), "\(arguments): \(run.stderr)")
        }
    }

    // #10.9: a manifest of 150k duplicate unknown keys gives a capped report, not a report of each.
    @Test func duplicateKeyFloodGivesABoundedReport() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: releasesDirectory + "/1.0-rc5/release.json", encoding: .utf8)
        let body = original.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()
        let flood = body + String(repeating: #","zz":1"#, count: 150_000) + "}"
        let folder = scratch.root.appendingPathComponent("1.0-rc5")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(flood.utf8).write(to: folder.appendingPathComponent("release.json"))
        let run = try await CLI.run(["validate", folder.path, "--format", "json"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.utf8.count < 300_000, "the report is \(run.stdout.utf8.count) bytes")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        let omitted = diagnostics.compactMap { $0["omitted"] as? Int }
        #expect(omitted.contains(149_900), "\(omitted)")
        #expect(diagnostics.filter { $0["rule"] as? String == "json.duplicate-key" }.count == 101)
    }

    // #10.4 end to end: `check --timeout 3` against a registry that drips its manifest.
    @Test func checkEndsAgainstADrippingRegistry() async throws {
        let server = try await LoopbackHTTPServer { request in
            request.method == "HEAD"
                ? .respond(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")])
                : .drip(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")], body: Array(repeating: 32, count: 500))
        }
        let start = Date()
        let run = try await CLI.run(["check", "--ref", "ghcr.io/a/b:1", "--mirror", "ghcr.io=\(server.baseURL)", "--timeout", "3", "--format", "json"])
        let elapsed = Date().timeIntervalSince(start)
        await server.stop()
        #expect(run.status == 3, "\(run.stderr)")
        #expect(elapsed < 11, "ran \(elapsed) s against --timeout 3")
        #expect(run.stdout.contains(#""unreachable""#))
    }

    // #10.4 end to end: `status --kubeconfig --timeout 3` against an API that drips its nodes.
    @Test(.enabled(if: SystemTool.available(.openssl), "needs openssl for the test PKI")) func statusEndsAgainstADrippingAPI() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let empty = Array(#"{"kind":"List","items":[]}"#.utf8)
        let server = try await LoopbackHTTPServer(tls: try pki.serverTLS(requireClientCertificate: false)) { request in
            request.path == "/api/v1/nodes" ? .drip(status: 200, body: empty + Array(repeating: 32, count: 300)) : .respond(status: 200, body: empty)
        }
        let kubeconfig = try pki.kubeconfig(server: server.baseURL, clientCertificate: false)
        let start = Date()
        let run = try await CLI.run(["status", "--kubeconfig", kubeconfig, "--timeout", "3", "--login-url", "http://127.0.0.1:9/"])
        let elapsed = Date().timeIntervalSince(start)
        await server.stop()
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("timed out"), "\(run.stderr)")
        #expect(elapsed < 11, "ran \(elapsed) s against --timeout 3")
    }

    // #10.5 end to end: the 38-byte snapshot file.
    @Test func theRecursiveListSnapshotIsReadNotCrashedOn() async throws {
        let folder = try ScratchFolder.folder("recursive-list")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"kind":"List","items":[{"kind":""}]}"#.utf8).write(to: folder.appendingPathComponent("a.json"))
        let run = try await CLI.run(["status", "--snapshot", folder.path, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""schemaVersion""#))
    }
}
