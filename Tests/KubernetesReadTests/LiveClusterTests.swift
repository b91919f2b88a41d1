import ApplianceStatus
import BoundedHTTP
import Foundation
import KubernetesRead
import NIOSSL
import RegistryLab
import ReleaseModel
import TestSupport
import Testing

@Suite struct LiveClusterTests {
    /// The live path (client certificate, paginated in pages of 3) reads exactly what the snapshot path reads.
    @Test(arguments: ["core-image-pulling", "login-ready-background-failed"])
    func liveAndSnapshotAgree(scenario: String) async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(scenario: k8sFixtures.appendingPathComponent(scenario), tls: try pki.serverTLS(requireClientCertificate: true), token: nil)
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, clientCertificate: true)), limits: ObservationLimits(pageSize: 3))
        var live = try await cluster.read()
        await cluster.shutdown()
        await server.stop()
        var recorded = try SnapshotFolder.read(k8sFixtures.appendingPathComponent(scenario).path)
        #expect(live.probes?.readyz == "ok")
        live.probes = recorded.probes
        recorded.previousLogs = [:]
        #expect(live == recorded)
        #expect(server.requests.filter { $0.path == "/api/v1/events" }.count > 1, "events were not paginated")
        let now = try #require(recorded.probes?.observedAt)
        #expect(ApplianceStatusRules.status(live, now: now) == ApplianceStatusRules.status(recorded, now: now))
    }

    @Test func bearerTokenAndItsAbsence() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: "t0ken-abc")
        let good = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, token: "t0ken-abc", clientCertificate: false)))
        let snapshot = try await good.read()
        #expect(snapshot.pods.count == 10)
        await good.shutdown()
        let bad = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, token: "wrong", clientCertificate: false)))
        await #expect(throws: ClusterUnreachable.self) { try await bad.read() }
        await bad.shutdown()
        await server.stop()
    }

    /// In a pod the service-account token rotates: it is read again for every collection.
    @Test func inClusterRereadsTheRotatingToken() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: "rotated")
        let account = pki.directory.appendingPathComponent("serviceaccount")
        try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
        try Data(try pki.bytes("ca.crt")).write(to: account.appendingPathComponent("ca.crt"))
        try Data("expired\n".utf8).write(to: account.appendingPathComponent("token"))
        let cluster = try LiveCluster.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(server.port)], directory: account.path)
        await #expect(throws: ClusterUnreachable.self) { try await cluster.read() }
        try Data("rotated\n".utf8).write(to: account.appendingPathComponent("token"))
        #expect(try await cluster.read().nodes.count == 1)
        await cluster.shutdown()
        await server.stop()
        #expect(throws: InputError.self) { try LiveCluster.inCluster(environment: [:], directory: account.path) }
    }

    @Test func aServerWithAnUntrustedCertificateIsRefused() async throws {
        let pki = try TestPKI(), other = try TestPKI()
        defer { pki.remove(); other.remove() }
        let server = try await FakeKubeAPI.start(scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: nil)
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try other.kubeconfig(server: server.baseURL, clientCertificate: false)))
        await #expect(throws: ClusterUnreachable.self) { try await cluster.read() }
        await cluster.shutdown()
        await server.stop()
    }

    @Test func loginProbeRedirectRules() async throws {
        let app = try await LoopbackHTTPServer { request in
            switch request.path {
            case "/ok": .respond(status: 200)
            case "/to-login": .respond(status: 302, headers: [("Location", "/auth/login?next=/")])
            case "/elsewhere": .respond(status: 302, headers: [("Location", "https://sso.example.com/x")])
            default: .respond(status: 503)
            }
        }
        // A generous deadline: the probe's own 3 s is the product's, not a bound for a loaded test machine.
        let deadline = RunLimits.deadline(after: 30)
        let ok = await LoginProbe.run(url: app.baseURL + "/ok", deadline: deadline)
        #expect(ok.reachable, "\(ok)")
        let toLogin = await LoginProbe.run(url: app.baseURL + "/to-login", deadline: deadline)
        #expect(toLogin.reachable, "\(toLogin)")
        #expect(!(await LoginProbe.run(url: app.baseURL + "/elsewhere", deadline: deadline).reachable))
        let down = await LoginProbe.run(url: app.baseURL + "/down", deadline: deadline)
        #expect(!down.reachable && down.statusCode == 503)
        let refusing = try ClosedPort()
        let closed = await LoginProbe.run(url: "http://127.0.0.1:\(refusing.port)/")
        _ = refusing
        #expect(closed.checked && !closed.reachable && closed.error != nil)
        await app.stop()
    }
}

