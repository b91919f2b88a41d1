import Foundation
import ReleaseModel

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
