import Foundation
import RegistryLab
import StatusAccess
import TestSupport
import Testing

/// The real `appliance-status` executable, as the Deployment runs it.
@Suite struct BinaryTests {
    static let binary = builtExecutable("appliance-status", variable: "APPLIANCE_STATUS_BIN")

    final class Server {
        let process: Subprocess
        let log: URL
        var port = 0

        init(_ arguments: [String]) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("appliance-status-\(UUID().uuidString).log")
            process = try Subprocess(BinaryTests.binary, arguments, log: log)
        }

        var text: String { process.output }

        /// Waits for the "listening on" line and reads the port from it.
        func waitUntilListening() async throws {
            for _ in 0..<200 {
                if let line = text.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
                    let port = line.split(separator: "listening on http://127.0.0.1:").last?.prefix(while: { $0.isNumber }), let n = Int(port)
                {
                    self.port = n
                    return
                }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the server did not start: \(text)")
        }

        func waitForExit() async -> Int32 { await process.finished(timeout: .seconds(60)).status }

        deinit { try? FileManager.default.removeItem(at: log) }
    }

    @Test func servesThenStopsGracefullyOnSIGTERM() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try Server([
            "--port", "0", "--token-file", token.path, "--snapshot", k8sFixtures.appendingPathComponent("healthy-full").path, "--refresh", "1",
        ])
        try await server.waitUntilListening()
        let base = "http://127.0.0.1:\(server.port)"
        #expect(try await HTTP.send(.GET, base + "/healthz").status == 200)
        #expect(try await HTTP.send(.GET, base + "/api/status").status == 401)
        let status = try await HTTP.send(.GET, base + "/api/status", headers: HTTP.bearer())
        #expect(status.status == 200)
        #expect((status.json["rollup"] as? [String: Any])?["state"] as? String == "fully_healthy")
        let link = try await HTTP.send(.GET, base + "/?token=\(testToken)")
        #expect(link.status == 303)
        _ = try await HTTP.send(.GET, base + "/api/status", headers: HTTP.bearer(String(testToken.reversed())))
        kill(server.process.processIdentifier, SIGTERM)
        let log = server.text
        #expect(await server.waitForExit() == 0)
        #expect(log.contains("status token loaded"))
        #expect(log.contains("collection 1 took"))
        #expect(!log.contains(testToken), "the token is in the log")
        #expect(!log.contains(String(testToken.reversed())), "a presented wrong token is in the log")
    }

    /// A port another process holds: exit 2 with the reason, documented in --help (#11).
    @Test func aPortInUseExitsTwoSayingSo() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let holder = try await LoopbackHTTPServer { _ in .respond(status: 200) }
        let server = try Server([
            "--port", String(holder.port), "--token-file", token.path, "--snapshot", k8sFixtures.appendingPathComponent("healthy-full").path,
        ])
        let status = await server.waitForExit()
        let log = server.text
        await holder.stop()
        #expect(status == 2, "\(log)")
        #expect(log.contains("already in use"), "\(log)")
    }

    @Test func badInputExitsTwoAndUsageSixtyFour() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let missing = try Server(["--port", "0", "--token-file", token.path, "--snapshot", "/no/such/folder"])
        let missingLog = missing.text
        #expect(await missing.waitForExit() == 2, "\(missingLog)")
        let kubeconfig = try Server(["--port", "0", "--token-file", token.path, "--kubeconfig", "/no/such/kubeconfig"])
        #expect(await kubeconfig.waitForExit() == 2)
        let two = try Server(["--token-file", token.path, "--snapshot", "x", "--in-cluster"])
        #expect(await two.waitForExit() == 64)
    }

    /// The image that ships the server: the Containerfile's version, the executable's --version, the
    /// model's tag and the committed Flux tree's Deployment all name the same release of it.
    @Test func imageReferenceAgreesEverywhere() async throws {
        let inventory = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: packageRoot.appendingPathComponent("releases/appliance.json"))) as? [String: Any])
        let entry = try #require((inventory["images"] as? [[String: Any]])?.first { $0["key"] as? String == "applianceStatus" })
        let reference = "\(try #require(entry["repository"] as? String)):\(try #require(entry["tag"] as? String))"

        let containerfile = try String(contentsOf: packageRoot.appendingPathComponent("Containerfile"), encoding: .utf8)
        let version = try #require(containerfile.split(separator: "\n").first { $0.hasPrefix("ARG VERSION=") }?.dropFirst("ARG VERSION=".count))
        #expect(reference == "ghcr.io/nine-minds/appliance-status:\(version)")
        // The image is built by the recipe the bench measures, and that recipe links statically.
        #expect(containerfile.contains("RUN scripts/build-appliance-status"))
        let recipe = try String(contentsOf: packageRoot.appendingPathComponent("scripts/build-appliance-status"), encoding: .utf8)
        #expect(recipe.contains("--product appliance-status --static-swift-stdlib"))
        // The layout files the recipe hands the linker are in the repository (the image copies it whole).
        for file in ["Linker/appliance-status.order", "Linker/appliance-status.ld"] {
            #expect(recipe.contains("$root/\(file)") && FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(file).path), "\(file)")
        }

        let printed = try await Subprocess.run(Self.binary, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed == String(version))

        let deployment = try String(contentsOf: packageRoot.appendingPathComponent("flux/base/platform/appliance-status.yaml"), encoding: .utf8)
        #expect(deployment.contains("image: \"\(reference)\"") || deployment.contains("image: \(reference)\n"), "the rendered Deployment runs another image")
    }
}
