import Foundation
import TestSupport
import Testing

/// The page in a real browser (headless Chromium, Debian's `chromium`): signed in by a `?token=`
/// link, with its script running under the strict Content-Security-Policy, the DOM shows the
/// rollup and the first blocker of each recorded scenario, and it refreshed itself in place.
@Suite(.serialized, .enabled(if: SystemTool.available(.chromium), "needs headless Chromium (scripts/test installs Debian's chromium)")) struct BrowserTests {
    static let chromium: String? = SystemTool.chromium.path

    @Test(arguments: scenarios)
    func pageShowsRollupAndFirstBlocker(scenario: String) async throws {
        let chromium = try #require(Self.chromium, "headless Chromium is needed: apt-get install chromium (scripts/test does)")
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot(scenario, tokenFile: token.path, refresh: 1)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let dom = try await Self.dumpDOM(chromium: chromium, profile: profile, url: "\(server.baseURL)/?token=\(testToken)")
        let api = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
        await server.stop()

        let want = try ScenarioExpectation.load(scenario).expected
        #expect(Self.attribute("data-state", ofFirst: #"<section id="rollup""#, in: dom) == want.rollup)
        if let top = want.topBlocker {
            #expect(Self.attribute("data-kind", ofFirst: #"<li class="blocker"#, in: dom) == top.kind)
            let firstBlocker = dom.components(separatedBy: #"<li class="blocker"#).dropFirst().first ?? ""
            #expect(firstBlocker.contains(top.component))
        } else {
            #expect(!dom.contains(#"<li class="blocker"#))
        }
        let refreshes = Int(Self.attribute("data-refreshes", ofFirst: #"<main id="content""#, in: dom) ?? "") ?? 0
        #expect(refreshes >= 1, "the page did not refresh itself (script blocked or failing)")
        #expect(!dom.contains(testToken), "the token is in the page")

        // Every next step that has a command shows it, copyable, with the real names, and says what it
        // needs; the page says once how to point the tools at this appliance.
        let document = api.json
        let blockers = document["topBlockers"] as? [[String: Any]] ?? []
        let rollup = document["rollup"] as? [String: Any] ?? [:]
        let commands = ((rollup["commands"] as? [[String: Any]] ?? []) + blockers.flatMap { $0["commands"] as? [[String: Any]] ?? [] })
        if blockers.contains(where: { $0["kind"] as? String != "workload_not_ready" }) {
            #expect(!commands.isEmpty, "a blocker with a known cause offers a command")
        }
        for command in commands {
            let text = try #require(command["command"] as? String)
            #expect(dom.contains(#"<pre class="cmd"><code>\#(text)</code></pre>"#), "\(text) is not shown as a command")
            #expect(dom.contains("needs the \(command["needs"] as? String ?? "?")"))
        }
        #expect(
            dom.contains("export KUBECONFIG=~/.alga-psa-appliance/appliance-single-node/kubeconfig")
                == commands.contains { $0["needs"] as? String == "kubeconfig" })

        // How old the information is, in words; a recorded snapshot says it is one.
        let age = dom.components(separatedBy: #"<p id="age""#).dropFirst().first?.components(separatedBy: "</p>").first ?? ""
        #expect(
            age.range(
                of: #"This information is from (just now|\d+ (second|minute|hour|day)s?( \d+ (minute|hour)s?)? ago) \(a recorded snapshot\), "#,
                options: .regularExpression) != nil, "age line: \(age)")
        #expect(!dom.contains(" s ago"))
        // The age is the observation's (a recording is as old as its recording), not the cache's.
        let observedAt = try #require((document["observedAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        let shown = try #require(Int(Self.attribute("data-age-seconds", ofFirst: #"<p id="age""#, in: dom) ?? ""))
        #expect(abs(shown - Int(Date().timeIntervalSince(observedAt))) < 300, "shown \(shown) s for an observation made at \(observedAt)")
    }

    /// `chromium --dump-dom` after a few virtual seconds, so the page's refresh timer has fired.
    static func dumpDOM(chromium: String, profile: URL, url: String) async throws -> String {
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(profile.path)",
            "--virtual-time-budget=4000", "--dump-dom", url,
        ]
        // The server runs in this process: Subprocess waits without blocking its threads.
        let finished = try await Subprocess.run(chromium, arguments, timeout: .seconds(90))
        if finished.status != 0 { Issue.record("chromium exited \(finished.status): \(finished.stderr.suffix(500))") }
        return finished.stdout
    }

    static func attribute(_ name: String, ofFirst tagStart: String, in html: String) -> String? {
        guard let start = html.range(of: tagStart) else { return nil }
        let tag = html[start.lowerBound...].prefix { $0 != ">" }
        guard let attr = tag.range(of: "\(name)=\"") else { return nil }
        return String(tag[attr.upperBound...].prefix { $0 != "\"" })
    }
}
