import ApplianceStatus
import Foundation
import KubernetesRead
import NIOCore
import NIOPosix
import RegistryLab
import StatusServer
import TestSupport
import Testing

/// A collection that waits until the test lets it finish.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var open = false

    func wait() async {
        await withCheckedContinuation { c in
            let resumeNow = lock.withLock { () -> Bool in
                if open { return true }
                waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    func set(open: Bool) {
        let resumed = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            self.open = open
            defer { if open { waiters = [] } }
            return open ? waiters : []
        }
        for c in resumed { c.resume() }
    }
}

@Suite struct CollectionTests {
    /// Many requests at once cause one collection; after the refresh period one request starts the
    /// next, and requests keep being answered from the last result while it runs.
    @Test func singleFlightAndStaleWhileRevalidate() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let gate = Gate()
        let source = StatusSource.snapshot(directory: k8sFixtures.appendingPathComponent("core-image-pulling").path)
        // A refresh period long enough that a loaded machine cannot outlast it during the first wave.
        let server = try await RunningServer.start(tokenFile: token.path, refresh: 3) {
            await gate.wait()
            return try await source.collect()
        }
        let first = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<40 {
                    group.addTask { try await HTTP.send(.GET, server.baseURL + (i % 2 == 0 ? "/api/status" : "/"), headers: HTTP.bearer()).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        // Wait for the first collection to start, then give the other requests time to pile up behind it.
        for _ in 0..<200 where server.collections.count == 0 { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(500))
        #expect(server.collections.count == 1)
        gate.set(open: true)
        #expect(try await first.value == Array(repeating: 200, count: 40))
        #expect(server.collections.count == 1)

        try await Task.sleep(for: .milliseconds(3100))
        gate.set(open: false)
        // The refresh is due: this request starts collection 2 and, while it is held, gets the last result.
        let stale = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
        #expect(stale.status == 200)
        #expect(Int(stale.header("Age") ?? "") ?? -1 >= 1)
        for _ in 0..<10 { _ = try await HTTP.send(.GET, server.baseURL + "/api/overview", headers: HTTP.bearer()) }
        #expect(server.collections.count == 2)
        gate.set(open: true)
        await server.stop()
    }

    /// The API cannot be reached: the page and the API still answer, and say so.
    @Test(.enabled(if: SystemTool.available(.openssl), "needs openssl for the test PKI")) func unreachableClusterIsReported() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let pki = try TestPKI()
        defer { pki.remove() }
        let closedPort = try await Self.closedPort()
        let cluster = try LiveCluster(
            kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: "https://127.0.0.1:\(closedPort)", clientCertificate: false)), model: .standard)
        let source = StatusSource.live(cluster, loginURL: "http://127.0.0.1:\(closedPort)")
        let server = try await RunningServer.start(tokenFile: token.path, refresh: 1, sourceKind: source.kind) { try await source.collect() }
        let reply = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
        let page = try await HTTP.send(.GET, server.baseURL + "/", headers: HTTP.bearer())
        await server.stop()
        await source.shutdown()
        #expect(reply.status == 200)
        let document = reply.json
        #expect((document["source"] as? [String: Any])?["reachable"] as? Bool == false)
        #expect((document["source"] as? [String: Any])?["kind"] as? String == "kubeconfig")
        #expect((document["rollup"] as? [String: Any])?["state"] as? String == "failed_action_required")
        let blocker = try #require((document["topBlockers"] as? [[String: Any]])?.first)
        #expect(blocker["kind"] as? String == "kubernetes_unavailable")
        #expect(blocker["reason"] as? String == "The Kubernetes API cannot be reached")
        #expect(page.status == 200)
        #expect(page.body.contains(#"id="unreachable""#))
    }

    /// The recorded clusters over HTTPS, as the Deployment reads a live one: the API answers what
    /// the recorded scenario expects.
    @Test(.enabled(if: SystemTool.available(.openssl), "needs openssl for the test PKI"), arguments: ["login-ready-background-failed", "core-image-pulling"])
    func recordedLiveCluster(scenario: String) async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let pki = try TestPKI()
        defer { pki.remove() }
        let api = try await FakeKubeAPI.start(
            scenario: k8sFixtures.appendingPathComponent(scenario), tls: try pki.serverTLS(requireClientCertificate: true), token: nil)
        // The app answers the login probe the way a ready Alga does: a redirect to the dashboard.
        let app = try await LoopbackHTTPServer { _ in .respond(status: 307, headers: [("Location", "/msp/dashboard")]) }
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: api.baseURL, clientCertificate: true)), model: .standard)
        let source = StatusSource.live(cluster, loginURL: app.baseURL)
        let server = try await RunningServer.start(tokenFile: token.path, sourceKind: source.kind) { try await source.collect() }
        let status = try await HTTP.send(.GET, server.baseURL + "/api/status", headers: HTTP.bearer())
        let diagnostics = try await HTTP.send(.GET, server.baseURL + "/api/diagnostics", headers: HTTP.bearer())
        await server.stop()
        await source.shutdown()
        await api.stop()
        await app.stop()

        let want = try ScenarioExpectation.load(scenario).expected
        let document = status.json
        #expect((document["rollup"] as? [String: Any])?["state"] as? String == want.rollup)
        if let top = want.topBlocker {
            let first = try #require((document["topBlockers"] as? [[String: Any]])?.first)
            #expect(first["kind"] as? String == top.kind)
            #expect(first["component"] as? String == top.component)
        }
        let flux = try #require(diagnostics.json["flux"] as? [String: Any])
        #expect(((flux["kustomizations"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "alga-platform" })
        let commands = (diagnostics.json["supportBundle"] as? [String: Any])?["commands"] as? [String] ?? []
        #expect(commands.contains("kubectl get nodes -o json > alga-status-snapshot/nodes.json"))
        #expect(api.requests.contains { $0.path == "/api/v1/nodes" })
    }

    /// A client that sends half a request and stops does not hold up anyone else.
    @Test func slowClientDoesNotStallOthers() async throws {
        let token = try ScratchToken()
        defer { token.remove() }
        let server = try await RunningServer.snapshot("core-image-pulling", tokenFile: token.path)
        let port = Int(server.baseURL.split(separator: ":").last!)!
        var slow: [any Channel] = []
        for _ in 0..<20 {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea")).get()
            slow.append(channel)
        }
        let reply = try await HTTP.send(.GET, server.baseURL + "/api/overview", headers: HTTP.bearer())
        #expect(reply.status == 200)
        for channel in slow { try? await channel.close() }
        await server.stop()
    }

    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }
}
