import Foundation

/// Where this tool may send a request that can carry credentials: https anywhere; plain http only
/// to loopback unless `--insecure`; no other scheme, ever (`http+unix`, `file`, …). Mirrors and
/// the token realms registries name go through the same rule.
public enum TransportRule {
    /// Why `url` is refused, or nil when it may be dialled.
    public static func refusal(_ url: URLComponents, insecure: Bool) -> String? {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            return "only https (or http to loopback) is allowed, not \(url.scheme.map { "\($0):" } ?? "a URL without a scheme")"
        }
        guard let host = url.host, !host.isEmpty else { return "it names no host" }
        // Credentials in the URL would be printed wherever the URL is; they belong in the options.
        guard url.user == nil, url.password == nil else { return "it carries a user name or password; give credentials with the options instead" }
        if scheme == "http" && !insecure && !isLoopback(host) {
            return "plain http is allowed only to a loopback address (127.0.0.0/8, ::1, localhost), not \(host); add --insecure to allow it"
        }
        return nil
    }

    /// The scheme for an address given without one (`HOST[:PORT]`, `[::1]:5000`): http for a
    /// loopback host, as Docker and go-containerregistry treat localhost (a local registry has no
    /// certificate), https for any other.
    public static func defaultScheme(forAddress address: String) -> String {
        let host = address.hasPrefix("[") ? String(address.prefix { $0 != "]" }.dropFirst()) : String(address.split(separator: ":").first ?? "")
        return isLoopback(host) ? "http" : "https"
    }

    public static func isLoopback(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if h == "localhost" || h == "::1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
