import Crypto
import Foundation
import TextFormat

/// The browser session: `v1.<issued unix seconds>.<HMAC-SHA256(token, issued)>`. The cookie never
/// holds the token, and rotating the token ends every session.
public enum SessionCookie {
    public static let name = "appliance_status_session"
    /// A working day; the token itself is the long-lived credential.
    public static let maxAge = 12 * 3600

    public static func issue(token: String, now: Date = Date()) -> String {
        let issued = Int(now.timeIntervalSince1970)
        return "v1.\(issued).\(mac(token: token, issued: issued).hex)"
    }

    public static func isValid(_ value: some StringProtocol, token: String, now: Date = Date()) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let issued = Int(parts[1]), let presented = Data(hex: parts[2]) else { return false }
        // The issue time is the client's: near Int.min or Int.max the difference overflows, and an
        // unauthenticated request must never trap the server.
        let (age, overflow) = Int(now.timeIntervalSince1970).subtractingReportingOverflow(issued)
        // A minute of clock skew either way; nothing older than maxAge.
        guard !overflow, age >= -60, age <= maxAge else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(presented, authenticating: message(issued), using: key(token))
    }

    static func key(_ token: String) -> SymmetricKey { SymmetricKey(data: Data(token.utf8)) }
    static func message(_ issued: Int) -> Data { Data("appliance-status/session/v1/\(issued)".utf8) }
    static func mac(token: String, issued: Int) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: message(issued), using: key(token))
    }
}

extension HMAC<SHA256>.MAC {
    var hex: String { Digits.hex(self) }
}

extension Data {
    init?(hex: some StringProtocol) {
        guard hex.count % 2 == 0, hex.count <= 128 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
