import Foundation
import Testing
import Yams

@Suite struct StatusTokenCLITests {
    @Test func createsOnceAndPrintsTheSecret() async throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: site) }
        let first = try await CLI.run(["status-token", "--site-dir", site, "--node-ip", "127.0.0.1"])
        #expect(first.status == 0, "\(first.stderr)")
        let token = try String(contentsOfFile: site + "/status-token", encoding: .utf8).trimmingCharacters(in: .newlines)
        #expect(token.count == 48)
        #expect(try FileManager.default.attributesOfItem(atPath: site + "/status-token")[.posixPermissions] as? Int == 0o600)

        let secret = try #require(try Yams.load(yaml: first.stdout) as? [String: Any])
        #expect(secret["kind"] as? String == "Secret")
        #expect((secret["metadata"] as? [String: Any])?["name"] as? String == "appliance-status-auth")
        let encoded = try #require((secret["data"] as? [String: Any])?["token"] as? String)
        #expect(Data(base64Encoded: encoded) == Data(token.utf8))
        #expect(!first.stdout.contains(token), "the token goes to stdout only inside the Secret, base64")
        #expect(first.stderr.contains("URL:   http://127.0.0.1:8080"))
        #expect(first.stderr.contains("Token: \(token)"))

        let second = try await CLI.run(["status-token", "--site-dir", site, "--node-ip", "fd00::8"])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout, "a second run must reuse the token")
        #expect(second.stderr.contains("http://[fd00::8]:8080"))
        #expect(second.stderr.contains("reused"))
    }

    @Test func refusesWhatItCannotUse() async throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: site) }
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try Data("not a token\n".utf8).write(to: URL(fileURLWithPath: site + "/status-token"))
        let broken = try await CLI.run(["status-token", "--site-dir", site])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains(site + "/status-token"))
        #expect(broken.stdout.isEmpty)
        #expect(try String(contentsOfFile: site + "/status-token", encoding: .utf8) == "not a token\n")

        let badIP = try await CLI.run(["status-token", "--site-dir", site, "--node-ip", "node-1"])
        #expect(badIP.status == 64)
        #expect(badIP.stderr.contains("--node-ip"))
    }
}
