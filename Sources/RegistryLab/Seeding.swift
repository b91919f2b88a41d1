import AsyncHTTPClient
import Foundation
import ReleaseModel

extension RegistrySeeder {
    /// Pushes every image of a release into one registry that stands in for all their registries
    /// (as `--mirror` points at it), except `skipping` (by inventory key). `indexKeys` are pushed as
    /// multi-platform indexes, the rest as single linux/amd64 manifests.
    @discardableResult
    public func seedRelease(_ images: [ResolvedImage], skipping: Set<String> = [], indexKeys: Set<String> = []) async throws -> [String] {
        var pushed: [String] = []
        for image in images where !skipping.contains(image.key) {
            let seed: SeedImage =
                indexKeys.contains(image.key)
                ? .index(platforms: ["linux/amd64", "linux/arm64"], layerSizes: [4096, 1024]) : .single(platform: "linux/amd64", layerSizes: [3072])
            try await push(seed, repository: image.ref.repository, tag: image.ref.tag ?? "latest")
            pushed.append(image.ref.description)
        }
        return pushed
    }
}

/// A self-signed P-256 key and certificate for the token server, made with openssl.
public struct SigningIdentity: Sendable {
    public var keyPEM: String
    public var certificatePath: String
    public var certificateDER: Data

    public static func make(in directory: URL) throws -> SigningIdentity {
        let key = directory.appendingPathComponent("token-key.pem")
        let cert = directory.appendingPathComponent("token-cert.pem")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.path, "-out", cert.path,
            "-days", "2", "-subj", "/CN=alga-release-test-token",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SeedError(description: "openssl could not make a test certificate") }
        let pem = try String(contentsOf: cert, encoding: .utf8)
        let base64 = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: base64) else { throw SeedError(description: "openssl wrote an unreadable certificate") }
        return SigningIdentity(keyPEM: try String(contentsOf: key, encoding: .utf8), certificatePath: cert.path, certificateDER: der)
    }
}

/// A bcrypt htpasswd file made with Apache's htpasswd (Distribution accepts bcrypt only).
public enum HTPasswd {
    public static func make(at path: URL, user: String, password: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/htpasswd")
        process.arguments = ["-Bbc", path.path, user, password]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SeedError(description: "htpasswd failed (install apache2-utils)") }
    }
}
