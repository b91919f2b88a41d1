import Foundation
import NIOSSL

public enum PKIError: Error { case openssl(String) }

/// A CA, an API server certificate for 127.0.0.1 and an ECDSA client certificate (as Talos issues), made with openssl.
public struct TestPKI: Sendable {
    public let directory: URL

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=test-kubernetes-ca"])
        try Data("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".utf8).write(to: directory.appendingPathComponent("server.ext"))
        try Data("extendedKeyUsage=clientAuth\n".utf8).write(to: directory.appendingPathComponent("client.ext"))
        for (name, subject) in [("server", "/CN=kube-apiserver"), ("client", "/O=system:masters/CN=admin")] {
            try openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).crt", "-days", "2", "-extfile",
                "\(name).ext",
            ])
        }
    }

    func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PKIError.openssl(arguments.joined(separator: " ")) }
    }

    public func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: directory.appendingPathComponent(name))) }

    public func serverTLS(requireClientCertificate: Bool) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(bytes("server.crt")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: bytes("server.key"), format: .pem)))
        if requireClientCertificate {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(bytes("ca.crt")))
        }
        return tls
    }

    /// A kubeconfig in the shape talosctl writes (everything embedded as *-data).
    public func kubeconfig(server: String, token: String? = nil, clientCertificate: Bool) throws -> String {
        func b64(_ name: String) throws -> String { Data(try bytes(name)).base64EncodedString() }
        var user = ""
        if clientCertificate { user += "    client-certificate-data: \(try b64("client.crt"))\n    client-key-data: \(try b64("client.key"))\n" }
        if let token { user += "    token: \(token)\n" }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: appliance
              cluster:
                server: \(server)
                certificate-authority-data: \(try b64("ca.crt"))
            contexts:
            - name: admin@appliance
              context:
                cluster: appliance
                namespace: default
                user: admin@appliance
            current-context: admin@appliance
            users:
            - name: admin@appliance
              user:
            \(user)
            """
        let path = directory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A Kubernetes API server stand-in (no kube-apiserver package exists here): serves a recorded
/// scenario's list files by path, paginated by limit/continue, single objects of those lists,
/// /readyz, and 401 without the expected token.
public enum FakeKubeAPI {
    public static func start(scenario folder: URL, tls: TLSConfiguration, token: String?) async throws -> LoopbackHTTPServer {
        let files: [String: String] = [
            "/api/v1/nodes": "nodes.json", "/api/v1/namespaces/msp/pods": "pods-msp.json", "/api/v1/events": "events.json",
            "/apis/apps/v1/namespaces/msp/deployments": "deployments-msp.json", "/apis/apps/v1/namespaces/msp/statefulsets": "statefulsets-msp.json",
            "/apis/batch/v1/namespaces/msp/jobs": "jobs-msp.json", "/api/v1/namespaces/msp/persistentvolumeclaims": "pvcs-msp.json",
            "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations": "kustomizations.json",
            "/apis/helm.toolkit.fluxcd.io/v2/namespaces/alga-system/helmreleases": "helmreleases.json",
            "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories": "gitrepositories.json",
            "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/ocirepositories": "ocirepositories.json",
        ]
        return try await LoopbackHTTPServer(tls: tls) { request in
            if let token, request.header("Authorization") != "Bearer \(token)" {
                return .respond(
                    status: 401, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"kind":"Status","status":"Failure","message":"Unauthorized","code":401}"#.utf8))
            }
            if request.path == "/readyz" { return .respond(status: 200, body: Array("ok".utf8)) }
            // GET of one object: look it up in its list.
            if files[request.path] == nil, let slash = request.path.lastIndex(of: "/"), let file = files[String(request.path[..<slash])],
                let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                let items = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]
            {
                let name = String(request.path[request.path.index(after: slash)...])
                if let item = items.first(where: { ($0["metadata"] as? [String: Any])?["name"] as? String == name }),
                    let body = try? JSONSerialization.data(withJSONObject: item)
                {
                    return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
                }
            }
            guard let file = files[request.path], let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let items = object["items"] as? [Any]
            else { return .respond(status: 404, body: Array(#"{"kind":"Status","code":404}"#.utf8)) }
            let query = Dictionary(request.query, uniquingKeysWith: { a, _ in a })
            let limit = Int(query["limit"] ?? "") ?? items.count
            let offset = Int(query["continue"] ?? "") ?? 0
            let end = min(items.count, offset + max(1, limit))
            object["items"] = Array(items[min(offset, items.count)..<end])
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            metadata["continue"] = end < items.count ? String(end) : ""
            object["metadata"] = metadata
            let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
        }
    }
}
