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

    /// The digest and size of an open file's bytes from its start, read a mebibyte at a time.
    package static func of(file handle: FileHandle) throws -> (digest: String, size: Int64) {
        try handle.seek(toOffset: 0)
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (text(hasher.finalize()), size)
    }
}
