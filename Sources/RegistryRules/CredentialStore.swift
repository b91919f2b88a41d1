import Foundation
import ReleaseModel

/// Chooses credentials per registry host. Anonymous unless something was given, because the
/// appliance pulls anonymously and the check should see what it sees.
public struct CredentialStore: Sendable {
    private var byHost: [String: RegistryCredential] = [:]

    public init() {}

    public mutating func set(_ credential: RegistryCredential, for host: String) {
        byHost[host.lowercased()] = credential
    }

    public func credential(for host: String) -> RegistryCredential? { byHost[host.lowercased()] }

    /// Every password and the Basic header made of it: what must never be echoed back.
    public var secrets: [String] {
        byHost.values.flatMap { [$0.password.reveal(), String($0.basicHeader.dropFirst("Basic ".count))] }
    }

    /// The documented chain, first match wins per host: `--username`/`--password-stdin` for the
    /// `--auth-registry` host, then `ALGA_REGISTRY_TOKEN` (same host), then `GITHUB_TOKEN` for ghcr.io,
    /// then `auths` of the Docker config file.
    ///
    /// The same chain serves a mirror's target with its own names (`--to-password-stdin`,
    /// `ALGA_TARGET_PASSWORD`) and without GitHub's token, which is for pulling from ghcr.io.
    public static func resolve(
        flagUsername: String?, flagPassword: Secret?, authRegistry: String, environment: [String: String],
        dockerConfigPath: String?, variables: (token: String, username: String) = ("ALGA_REGISTRY_TOKEN", "ALGA_REGISTRY_USERNAME"),
        flagOrigin: String = "--password-stdin", githubToken: Bool = true
    ) throws(DockerConfigError) -> CredentialStore {
        var store = CredentialStore()
        if let dockerConfigPath, FileManager.default.fileExists(atPath: dockerConfigPath) {
            for (host, credential) in try DockerConfig.read(dockerConfigPath) { store.set(credential, for: host) }
        }
        if githubToken, let token = environment["GITHUB_TOKEN"], !token.isEmpty {
            store.set(RegistryCredential(username: environment["GITHUB_ACTOR"] ?? "github", password: Secret(token), origin: "GITHUB_TOKEN"), for: "ghcr.io")
        }
        if let token = environment[variables.token], !token.isEmpty {
            let user = environment[variables.username] ?? "token"
            store.set(RegistryCredential(username: user, password: Secret(token), origin: variables.token), for: authRegistry)
        }
        if let flagPassword {
            store.set(RegistryCredential(username: flagUsername ?? "token", password: flagPassword, origin: flagOrigin), for: authRegistry)
        }
        return store
    }
}
