import ApplianceStatus
import Foundation
import KubernetesRead
import TestSupport
import Testing

/// What the pages say, read through the server's router in process: pulls with elapsed time and size, the fragment the page
/// refreshes itself from, and cluster text escaped wherever it lands.
@Suite struct PageTests {
    @Test func pullsShowElapsedTimeAndSize() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let source = StatusSource.snapshot(directory: k8sFixtures.appendingPathComponent("core-image-pulling").path)
        let server = try await RunningServer.start(
            tokenFile: token.path, transport: .router, size: { $0 == "ghcr.io/nine-minds/alga-psa-ee:94446747" ? 1_865_012_736 : nil }
        ) {
            try await source.collect()
        }
        let page = try await server.send(.GET, "/", headers: HTTP.bearer())
        let fragment = try await server.send(.GET, "/?fragment=1", headers: HTTP.bearer())
        await server.stop()
        let pulls = try #require(page.body.components(separatedBy: #"<section id="pulls">"#).dropFirst().first?.components(separatedBy: "</section>").first)
        #expect(pulls.contains("<code>ghcr.io/nine-minds/alga-psa-ee:94446747</code>"))
        #expect(pulls.contains("about 1.9 GB compressed"))
        #expect(pulls.range(of: #"for <span class="elapsed">\d+ minutes?( \d+ seconds?)?</span>"#, options: .regularExpression) != nil)
        #expect(page.body.hasPrefix("<!doctype html>"))
        #expect(!fragment.body.contains("<html"), "the fragment is the inside of <main> only")
        #expect(fragment.body.contains(#"<section id="rollup""#))
    }

    @Test func clusterTextIsEscaped() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let hostile = #"<img src=x onerror="alert(1)"> & 'quotes'"#
        let server = try await RunningServer.start(tokenFile: token.path, transport: .router) {
            var snapshot = try SnapshotFolder.read(k8sFixtures.appendingPathComponent("login-ready-background-failed").path)
            for i in snapshot.events.indices { snapshot.events[i].message = hostile }
            return snapshot
        }
        let page = try await server.send(.GET, "/diagnostics", headers: HTTP.bearer())
        await server.stop()
        #expect(page.status == 200)
        #expect(!page.body.contains("<img"), "markup from the cluster reached the page")
        #expect(page.body.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;"))
    }
}
