import Foundation
import TestSupport
import Testing

/// The page in a real browser (headless Chromium, Debian's `chromium`): signed in by a `?token=`
/// link, with its script running under the strict Content-Security-Policy, the DOM shows the
/// rollup and the first blocker of each recorded scenario, and it refreshed itself in place.
@Suite(.serialized) struct BrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(arguments: scenarios)
    func pageShowsRollupAndFirstBlocker(scenario: String) async throws {
        let chromium = try #require(Self.chromium, "headless Chromium is needed: apt-get install chromium (scripts/test does)")
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot(scenario, tokenFile: token.path, refresh: 1)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let dom = try await Self.dumpDOM(chromium: chromium, profile: profile, url: "\(server.baseURL)/?token=\(testToken)")
        await server.stop()

        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: k8sFixtures.appendingPathComponent("\(scenario)/expected.json"))) as? [String: Any])
        let want = try #require(expected["expected"] as? [String: Any])
        #expect(Self.attribute("data-state", ofFirst: #"<section id="rollup""#, in: dom) == want["rollup"] as? String)
        if let top = want["topBlocker"] as? [String: Any] {
            #expect(Self.attribute("data-kind", ofFirst: #"<li class="blocker"#, in: dom) == top["kind"] as? String)
            let firstBlocker = dom.components(separatedBy: #"<li class="blocker"#).dropFirst().first ?? ""
            #expect(firstBlocker.contains(top["component"] as? String ?? "?"))
        } else {
            #expect(!dom.contains(#"<li class="blocker"#))
        }
        let refreshes = Int(Self.attribute("data-refreshes", ofFirst: #"<main id="content""#, in: dom) ?? "") ?? 0
        #expect(refreshes >= 1, "the page did not refresh itself (script blocked or failing)")
        #expect(!dom.contains(testToken), "the token is in the page")
    }

    /// `chromium --dump-dom` after a few virtual seconds, so the page's refresh timer has fired.
    static func dumpDOM(chromium: String, profile: URL, url: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=4000", "--dump-dom", url,
        ]
        let out = profile.appendingPathExtension("dom")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        try Data().write(to: out)
        defer { try? FileManager.default.removeItem(at: out) }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The server runs in this process: wait without blocking its threads.
        let deadline = ContinuousClock.now + .seconds(90)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                Issue.record("chromium did not finish within 90 s")
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try String(contentsOf: out, encoding: .utf8)
    }

    static func attribute(_ name: String, ofFirst tagStart: String, in html: String) -> String? {
        guard let start = html.range(of: tagStart) else { return nil }
        let tag = html[start.lowerBound...].prefix { $0 != ">" }
        guard let attr = tag.range(of: "\(name)=\"") else { return nil }
        return String(tag[attr.upperBound...].prefix { $0 != "\"" })
    }
}
