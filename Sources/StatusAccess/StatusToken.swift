import Crypto
import Foundation
import TextFormat

/// The status token: 24 bytes from the system CSPRNG as 48 lowercase hex characters, as the
/// original bootstrap made it with `openssl rand -hex 24`.
public enum StatusToken {
    static let byteCount = 24

    public static func generate() -> String {
        // SystemRandomNumberGenerator is getrandom(2) on Linux and arc4random on Darwin.
        var generator = SystemRandomNumberGenerator()
        return Digits.hex((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// What a token file may hold: hex, long enough to resist guessing. A file with anything else is
    /// refused rather than used, so a truncated or mistyped Secret shows up as an error.
    public static func isWellFormed(_ token: String) -> Bool {
        token.count >= 32 && token.count <= 256 && token.allSatisfy { $0.isHexDigit }
    }

    /// Equal in time that does not depend on where the inputs differ, nor on their lengths: both
    /// sides are hashed first, then the digests compared with a full-length XOR.
    public static func constantTimeEquals(_ presented: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        let a = Array(SHA256.hash(data: Array(presented.utf8)))
        let b = Array(SHA256.hash(data: Array(expected.utf8)))
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
