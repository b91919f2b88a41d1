import Foundation

/// Three Distribution registries over one store: open, htpasswd (Basic) and token auth with our
/// token server. Seed through `open`; the same images are then behind each kind of auth.
public final class RegistryTrio: Sendable {
    public let open: RegistryProcess
    public let basic: RegistryProcess
    public let token: RegistryProcess
    public let tokenServer: TokenServer
    public let directory: URL

    public init(user: String, password: String, tokenOptions: TokenServer.Options) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("alga-lab-\(UUID().uuidString)")
        let storage = directory.appendingPathComponent("storage")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        open = try await RegistryProcess(storage: storage, auth: .none)
        let htpasswd = directory.appendingPathComponent("htpasswd")
        try HTPasswd.make(at: htpasswd, user: user, password: password)
        basic = try await RegistryProcess(storage: storage, auth: .htpasswd(path: htpasswd.path))
        let identity = try SigningIdentity.make(in: directory)
        var options = tokenOptions
        options.users[user] = password
        tokenServer = try await TokenServer(options: options, keyPEM: identity.keyPEM, certificateDER: identity.certificateDER)
        token = try await RegistryProcess(
            storage: storage,
            auth: .token(realm: tokenServer.realm, service: options.service, issuer: options.issuer, rootCertificatePath: identity.certificatePath))
    }

    public func stop() async {
        open.stop()
        basic.stop()
        token.stop()
        await tokenServer.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
