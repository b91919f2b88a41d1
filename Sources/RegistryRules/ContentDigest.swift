import Crypto
import Foundation
import TextFormat

/// `sha256:` and the lowercase hex of a SHA-256: what Docker-Content-Digest, descriptors and an
/// image layout's blob names say. The one spelling of a digest the tool computes.
package enum ContentDigest {
    package static func text(_ digest: SHA256.Digest) -> String {
        "sha256:" + Digits.hex(digest)
    }

    package static func of(_ bytes: Data) -> String { text(SHA256.hash(data: bytes)) }
}
