import Foundation
import TestSupport

/// A self-signed P-256 key and certificate for the token server, made with openssl.
public struct SigningIdentity: Sendable {
    public var keyPEM: String
    public var certificatePath: String
    public var certificateDER: Data

    public static func make(in directory: URL) throws -> SigningIdentity {
        let key = directory.appendingPathComponent("token-key.pem")
        let cert = directory.appendingPathComponent("token-cert.pem")
        try Subprocess.require(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.path, "-out", cert.path,
                "-days", "2", "-subj", "/CN=alga-release-test-token",
            ], failure: "openssl could not make a test certificate")
        let pem = try String(contentsOf: cert, encoding: .utf8)
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: base64) else { throw SeedError(description: "openssl wrote an unreadable certificate") }
        return SigningIdentity(keyPEM: try String(contentsOf: key, encoding: .utf8), certificatePath: cert.path, certificateDER: der)
    }
}
