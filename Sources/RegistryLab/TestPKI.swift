import Foundation
import NIOSSL
import TestSupport

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
        try Subprocess.require("/usr/bin/openssl", arguments, cwd: directory, failure: "openssl \(arguments.joined(separator: " ")) failed")
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
