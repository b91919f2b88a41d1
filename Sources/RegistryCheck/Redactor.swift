import Foundation
import NIOConcurrencyHelpers
import RegistryRules

/// Cleans text a registry sent before it is printed: a registry (or a proxy) may echo the request,
/// Authorization header and all. Known secrets (every password given and every token issued in
/// this run) are removed wherever they appear; anything shaped like a credential (`Bearer …`,
/// `Basic …`, a JWT) is removed too; control characters go; the length is capped.
public final class Redactor: Sendable {
    private let secrets = NIOLockedValueBox<Set<String>>([])
    /// Echoed text is evidence, not the report: a few lines at most.
    public static let maxLength = 300

    public init() {}

    public func add(_ secret: String) {
        // Very short values would blank out ordinary words; a real secret is longer.
        guard secret.count >= 6 else { return }
        secrets.withLockedValue { _ = $0.insert(secret) }
    }

    public func clean(_ text: some StringProtocol) -> String {
        var result = String(text.prefix(Self.maxLength * 8))
        for secret in secrets.withLockedValue({ $0 }).sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: secret, with: "<redacted>")
        }
        for (pattern, replacement) in Self.patterns {
            result = pattern.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: replacement)
        }
        result = String(result.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
        return result.count > Self.maxLength ? String(result.prefix(Self.maxLength)) + "…" : result
    }

    private static let patterns: [(NSRegularExpression, String)] = [
        (try! NSRegularExpression(pattern: #"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"#), "$1 <redacted>"),
        (try! NSRegularExpression(pattern: #"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"#), "<redacted>"),
    ]
}
