import ApplianceStatus
import BoundedHTTP
import Foundation
import JSONDocument
import KubernetesRead
import NIOCore
import NIOSSL
import RegistryLab
import ReleaseModel
import TestSupport
import Testing

@Suite(.enabled(if: SystemTool.available(.openssl), "needs openssl for the test PKI")) struct LiveClusterTests {
    /// The live path (client certificate, paginated in pages of 3) reads exactly what the snapshot path reads.
    @Test(arguments: ["core-image-pulling", "login-ready-background-failed"])
    func liveAndSnapshotAgree(scenario: String) async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(
            scenario: k8sFixtures.appendingPathComponent(scenario), tls: try pki.serverTLS(requireClientCertificate: true), token: nil)
        let cluster = try LiveCluster(
            kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, clientCertificate: true)), limits: ObservationLimits(pageSize: 3),
            model: .standard)
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
        #expect(ApplianceStatusRules.status(live, now: now, model: .standard) == ApplianceStatusRules.status(recorded, now: now, model: .standard))
    }

    /// Previous logs are asked for by pod and container name: names that are not Kubernetes names
    /// (a hostile API's `../` or `?`) go into no request path; well-formed ones still do.
    @Test func aHostilePodNameGoesIntoNoRequestPath() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-names-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: k8sFixtures.appendingPathComponent("healthy-full"), to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let podsFile = folder.appendingPathComponent("pods-msp.json")
        var pods = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: podsFile)) as? [String: Any])
        var items = try #require(pods["items"] as? [[String: Any]])
        for (index, name) in ["redis-0", "../../secrets/x?watch=true"].enumerated() {
            var pod = items[index]
            var metadata = try #require(pod["metadata"] as? [String: Any])
            metadata["name"] = name
            pod["metadata"] = metadata
            var status = try #require(pod["status"] as? [String: Any])
            var containers = try #require(status["containerStatuses"] as? [[String: Any]])
            containers[0]["state"] = ["waiting": ["reason": "CrashLoopBackOff"]]
            status["containerStatuses"] = containers
            pod["status"] = status
            items[index] = pod
        }
        pods["items"] = items
        try JSONSerialization.data(withJSONObject: pods).write(to: podsFile)

        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(scenario: folder, tls: try pki.serverTLS(requireClientCertificate: false), token: nil)
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, clientCertificate: false)), model: .standard)
        _ = try await cluster.read()
        await cluster.shutdown()
        await server.stop()
        let logRequests = server.requests.map(\.path).filter { $0.hasSuffix("/log") }
        #expect(logRequests == ["/api/v1/namespaces/msp/pods/redis-0/log"], "log requests: \(logRequests)")
        #expect(!server.requests.contains { $0.path.contains("secrets") })
    }

    @Test func bearerTokenAndItsAbsence() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(
            scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: "t0ken-abc")
        let good = try LiveCluster(
            kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, token: "t0ken-abc", clientCertificate: false)), model: .standard)
        let snapshot = try await good.read()
        #expect(snapshot.pods.count == 10)
        await good.shutdown()
        let bad = try LiveCluster(
            kubeconfig: try Kubeconfig.read(try pki.kubeconfig(server: server.baseURL, token: "wrong", clientCertificate: false)), model: .standard)
        await #expect(throws: ClusterUnreachable.self) { try await bad.read() }
        await bad.shutdown()
        await server.stop()
    }

    /// In a pod the service-account token rotates: it is read again for every collection.
    @Test func inClusterRereadsTheRotatingToken() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = try await FakeKubeAPI.start(
            scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: "rotated")
        let account = pki.directory.appendingPathComponent("serviceaccount")
        try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
        try Data(try pki.bytes("ca.crt")).write(to: account.appendingPathComponent("ca.crt"))
        try Data("expired\n".utf8).write(to: account.appendingPathComponent("token"))
        let cluster = try LiveCluster.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(server.port)], directory: account.path, model: .standard)
        await #expect(throws: ClusterUnreachable.self) { try await cluster.read() }
        try Data("rotated\n".utf8).write(to: account.appendingPathComponent("token"))
        #expect(try await cluster.read().nodes.count == 1)
        await cluster.shutdown()
        await server.stop()
        #expect(throws: InputError.self) { try LiveCluster.inCluster(environment: [:], directory: account.path, model: .standard) }
    }

    @Test func aServerWithAnUntrustedCertificateIsRefused() async throws {
        let pki = try TestPKI()
        let other = try TestPKI()
        defer {
            pki.remove()
            other.remove()
        }
        let server = try await FakeKubeAPI.start(
            scenario: k8sFixtures.appendingPathComponent("healthy-full"), tls: try pki.serverTLS(requireClientCertificate: false), token: nil)
        let cluster = try LiveCluster(kubeconfig: try Kubeconfig.read(try other.kubeconfig(server: server.baseURL, clientCertificate: false)), model: .standard)
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
        let deadline = NIODeadline.after(seconds: 30)
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
