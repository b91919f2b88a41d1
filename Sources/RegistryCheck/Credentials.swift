import Foundation
import ReleaseModel

/// A secret that never prints itself: `description`, `debugDescription` and string interpolation
/// all show a placeholder, so a credential cannot end up in a log line or an error by accident.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    public func reveal() -> String { value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// Credentials for one registry and where they came from (said in reports; the secret never is).
public struct RegistryCredential: Sendable, Equatable {
    public var username: String
    public var password: Secret
    public var origin: String

    public init(username: String, password: Secret, origin: String) {
        self.username = username
        self.password = password
        self.origin = origin
    }

    var basicHeader: String {
        "Basic " + Data("\(username):\(password.reveal())".utf8).base64EncodedString()
    }
}

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
    var secrets: [String] {
        byHost.values.flatMap { [$0.password.reveal(), String($0.basicHeader.dropFirst("Basic ".count))] }
    }

    /// The documented chain, first match wins per host: `--username`/`--password-stdin` for the
    /// `--auth-registry` host, then `ALGA_REGISTRY_TOKEN` (same host), then `GITHUB_TOKEN` for ghcr.io,
    /// then `auths` of the Docker config file.
    public static func resolve(
        flagUsername: String?, flagPassword: Secret?, authRegistry: String, environment: [String: String],
        dockerConfigPath: String?
    ) throws(DockerConfigError) -> CredentialStore {
        var store = CredentialStore()
        if let dockerConfigPath, FileManager.default.fileExists(atPath: dockerConfigPath) {
            for (host, credential) in try DockerConfig.read(dockerConfigPath) { store.set(credential, for: host) }
        }
        if let token = environment["GITHUB_TOKEN"], !token.isEmpty {
            store.set(RegistryCredential(username: environment["GITHUB_ACTOR"] ?? "github", password: Secret(token), origin: "GITHUB_TOKEN"), for: "ghcr.io")
        }
        if let token = environment["ALGA_REGISTRY_TOKEN"], !token.isEmpty {
            let user = environment["ALGA_REGISTRY_USERNAME"] ?? "token"
            store.set(RegistryCredential(username: user, password: Secret(token), origin: "ALGA_REGISTRY_TOKEN"), for: authRegistry)
        }
        if let flagPassword {
            store.set(RegistryCredential(username: flagUsername ?? "token", password: flagPassword, origin: "--password-stdin"), for: authRegistry)
        }
        return store
    }
}

public struct DockerConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): \(reason)" }
}

/// `~/.docker/config.json`: `{"auths": {"ghcr.io": {"auth": base64("user:password")}}}`.
enum DockerConfig {
    static func read(_ path: String) throws(DockerConfigError) -> [(String, RegistryCredential)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DockerConfigError(file: path, reason: "cannot be read")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw DockerConfigError(file: path, reason: "not a JSON object")
        }
        guard let auths = root["auths"] as? [String: Any] else { return [] }
        var found: [(String, RegistryCredential)] = []
        for (key, value) in auths.sorted(by: { $0.key < $1.key }) {
            guard let entry = value as? [String: Any] else { continue }
            // Keys may be bare hosts or URLs (https://index.docker.io/v1/).
            var host = key
            if let url = URL(string: key), let h = url.host { host = url.port.map { "\(h):\($0)" } ?? h }
            host = ImageReference.canonicalRegistry(host)
            if let auth = entry["auth"] as? String, let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            {
                found.append(
                    (
                        host,
                        RegistryCredential(
                            username: String(decoded[..<colon]), password: Secret(String(decoded[decoded.index(after: colon)...])),
                            origin: "docker config \(path)")
                    ))
            } else if let user = entry["username"] as? String, let password = entry["password"] as? String {
                found.append((host, RegistryCredential(username: user, password: Secret(password), origin: "docker config \(path)")))
            }
        }
        return found
    }
}
